/* world.h - the simulated world of one run: the scenario's resources as
 * devices, the agenda of device events, and the run's one PRNG.
 *
 * The world is the executor's fs_driver: the executor asks it when the next
 * device event is and tells it to fire it. Futures built from the scenario
 * (futures.h) reach their devices through the world. */
#ifndef FS_WORLD_H
#define FS_WORLD_H

#include "event_queue.h"
#include "exec.h"
#include "prng.h"
#include "scenario.h"

typedef struct fs_world fs_world;
struct fs_socket;
struct fs_channel;

fs_world *fs_world_create(const fs_scenario *sc, uint64_t seed);
void fs_world_free(fs_world *w);
/* The driver to put in fs_exec_desc; attach the executor before running. */
fs_driver fs_world_driver(fs_world *w);
void fs_world_attach(fs_world *w, fs_exec *ex);
/* Spawns the scenario's tasks (count expanded) in file order. */
bool fs_world_spawn_tasks(fs_world *w);
/* Spawns one task running spec; NULL name is not allowed. Returns the id,
 * or -1 when out of memory (the run then stops). */
int64_t fs_world_spawn(fs_world *w, const char *name, const fs_future_spec *spec);
/* For fs_exec_desc.release_future with ctx = world. */
void fs_world_release_future(void *world, fs_future *f);

const fs_scenario *fs_world_scenario(const fs_world *w);
fs_exec *fs_world_exec(const fs_world *w);
fs_prng *fs_world_prng(fs_world *w);
/* Puts n on the agenda at t; out of memory stops the run. */
void fs_world_schedule(fs_world *w, fs_qnode *n, int64_t t);
void fs_world_cancel(fs_world *w, fs_qnode *n);
/* Draws a duration (ms in the scenario) and returns it in ns. */
int64_t fs_world_draw_ns(fs_world *w, const fs_dur *d);
struct fs_socket *fs_world_socket(fs_world *w, int resource);
struct fs_channel *fs_world_channel(fs_world *w, int resource);
/* "task:N", kept for the run: a JoinHandle's register target ("task:?" if
 * out of memory, which stops the run). */
const char *fs_world_task_ref(fs_world *w, uint32_t task);
/* Wakes (a clone of) waker at time t with nothing ready (source "spurious"). */
void fs_world_spurious_wake(fs_world *w, const fs_waker *waker, int64_t t);
const char *fs_world_wake_source(const fs_world *w, int resource);
/* Reports a device event (io line) now. */
void fs_world_io(fs_world *w, int resource, const char *what, bool has_value, int64_t value);

#endif
