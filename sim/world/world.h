/* world.h - the simulated world of one run: the scenario's resources as
 * devices, the agenda of device events, and the run's one PRNG.
 *
 * The world is the executor's fs_driver: the executor asks it when the next
 * device event is and tells it to fire it. Futures built from the scenario
 * and devices reach the world through node.h. */
#ifndef FS_WORLD_H
#define FS_WORLD_H

#include "node.h"

fs_world *fs_world_create(const fs_scenario *sc, uint64_t seed);
void fs_world_free(fs_world *w);
/* The driver to put in fs_exec_desc; attach the executor before running. */
fs_driver fs_world_driver(fs_world *w);
void fs_world_attach(fs_world *w, fs_exec *ex);
/* Spawns the scenario's tasks (count expanded) in file order. Each entry
 * whose future the compiler takes runs a compiled program (program.h). */
bool fs_world_spawn_tasks(fs_world *w);
/* Before the spawn: every task interpreted, none compiled (both give the
 * same trace; tests compare them). */
void fs_world_set_interpret(fs_world *w, bool on);
/* Distinct compiled programs, and the tasks that run one. */
size_t fs_world_programs(const fs_world *w, int64_t *tasks);
/* The most messages channel `resource` held in the run so far. */
int64_t fs_world_channel_max_len(const fs_world *w, int resource);
const fs_fault_counts *fs_world_fault_counts(const fs_world *w);
/* For fs_exec_desc.release_future with ctx = world. */
void fs_world_release_future(void *world, fs_future *f);

#endif
