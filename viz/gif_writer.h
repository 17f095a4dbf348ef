/* gif_writer.h - an animated GIF written frame by frame with giflib: one
 * global palette (palette.h), looping forever (the NETSCAPE2.0 extension),
 * each frame after the first cut to the rectangle that changed, with the
 * pixels that did not change inside it transparent, so a moving playhead
 * costs a few columns, not a whole frame.
 *
 * Not a byte past max_bytes reaches the file: the writer stops with
 * FS_ERR_LIMIT instead, and the caller aborts the output (outfile.h). */
#ifndef FS_VIZ_GIF_WRITER_H
#define FS_VIZ_GIF_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "palette.h"

/* The default size cap of a recording (--max-gif). */
#define FS_VIZ_GIF_MAX_BYTES (256ULL << 20)

typedef struct fs_viz_gif_writer fs_viz_gif_writer;

/* Starts a w x h GIF on out with p's colours; NULL with err filled. */
fs_viz_gif_writer *fs_viz_gif_create(FILE *out, int w, int h, const fs_viz_palette *p,
                                     uint64_t max_bytes, fs_error *err);
/* Adds a frame of w x h palette indices shown for delay_cs hundredths of a
 * second. false with err filled (the writer must still be freed). */
bool fs_viz_gif_add(fs_viz_gif_writer *g, const uint8_t *pixels, int delay_cs, fs_error *err);
/* Writes the trailer (finish true) and frees g. false with err filled
 * when finishing failed. */
bool fs_viz_gif_free(fs_viz_gif_writer *g, bool finish, fs_error *err);
/* Bytes handed to out so far. */
uint64_t fs_viz_gif_size(const fs_viz_gif_writer *g);

#endif
