/* pbw.h - protobuf wire format written by hand: varints, fixed64, strings
 * and nested messages into a growable byte buffer, for the Perfetto export.
 * No schema, no library: the caller names each field by its number.
 *
 * A nested message is opened with fs_pbw_begin (which remembers where its
 * content starts) and closed with fs_pbw_end, which moves the content up by
 * the size of its header (tag and length, both minimal varints). Messages
 * here are small (one trace packet), so the move costs little. */
#ifndef FS_PBW_H
#define FS_PBW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fs_pbw {
    uint8_t *p;
    size_t len, cap;
    bool failed;   /* an allocation failed: everything after it was dropped */
} fs_pbw;

/* Wire types. */
enum { FS_PB_VARINT = 0, FS_PB_I64 = 1, FS_PB_LEN = 2 };

void fs_pbw_free(fs_pbw *b);
static inline void fs_pbw_reset(fs_pbw *b)
{
    b->len = 0;
}
/* Bytes v takes as a varint (1..10). */
size_t fs_pbw_varint_size(uint64_t v);
void fs_pbw_varint(fs_pbw *b, uint64_t v);
void fs_pbw_bytes(fs_pbw *b, const void *p, size_t n);
/* A field: tag then value. Signed int64 fields are varints of the two's
 * complement (10 bytes when negative), as protobuf's int64 is. */
void fs_pbw_u64(fs_pbw *b, uint32_t field, uint64_t v);
void fs_pbw_i64(fs_pbw *b, uint32_t field, int64_t v);
void fs_pbw_fixed64(fs_pbw *b, uint32_t field, uint64_t v);
void fs_pbw_str(fs_pbw *b, uint32_t field, const char *s);
/* A field holding the bytes of another buffer (a message built apart). */
void fs_pbw_sub(fs_pbw *b, uint32_t field, const fs_pbw *msg);
/* Nested message: begin returns where its content starts; end writes its
 * header there. */
size_t fs_pbw_begin(fs_pbw *b);
void fs_pbw_end(fs_pbw *b, uint32_t field, size_t start);

#endif
