/* exec_policies.h - the executor policies, one per file, as the dispatcher
 * (exec.c) calls them: each runs the tasks to the end, deciding which to
 * poll next. They build on exec_common.h and never call the dispatcher. */
#ifndef FS_EXEC_POLICIES_H
#define FS_EXEC_POLICIES_H

#include "exec_common.h"

fs_run_result fs__exec_run_blocking(fs_exec *ex);
fs_run_result fs__exec_run_busy(fs_exec *ex);
fs_run_result fs__exec_run_wake(fs_exec *ex);
fs_run_result fs__exec_run_steal(fs_exec *ex);
/* steal: where a task that became runnable goes (LIFO slot, local queue or
 * the injection queue), and waking a parked worker for it. */
void fs__exec_steal_schedule(fs_exec *ex, uint32_t id);
bool fs__exec_steal_init(fs_exec *ex);
void fs__exec_steal_free(fs_exec *ex);

#endif
