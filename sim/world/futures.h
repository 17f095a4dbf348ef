/* futures.h - building the futures a scenario describes, whatever their
 * kind: world.c sizes every spec before the first spawn and hands
 * fs_futures_init_kind to node.c, which builds nodes with it. */
#ifndef FS_FUTURES_H
#define FS_FUTURES_H

#include "node.h"

/* Bytes one instance of spec needs, and of each spec below it (computed
 * once, then cached in inst_size). */
size_t fs_futures_size(fs_future_spec *spec);
/* Builds the node n (spec and world set, the rest zero) as its kind. */
void fs_futures_init_kind(fs_node *n);

#endif
