/* summary.h - the run's summary object (the trace's last line, and what
 * `run --json` and `compare --json` print). */
#ifndef FS_SUMMARY_H
#define FS_SUMMARY_H

#include "exec.h"
#include "jsonw.h"

/* One JSON object, no newline. executor: "busy", "steal:4"... */
void fs_summary_write(fs_jsonw *w, const fs_exec *ex, const char *executor);
/* The same, with "faults" when the scenario declares any (faults may be
 * NULL: none) and "expectations" last when it has any (expect may be
 * NULL: none). */
struct fs_expect_result;
struct fs_fault_counts;
void fs_summary_write_expect(fs_jsonw *w, const fs_exec *ex, const char *executor,
                             const struct fs_expect_result *expect,
                             const struct fs_fault_counts *faults);
/* busy / (busy + idle) over all workers, 0..1 (0 when nothing ran). */
double fs_summary_cpu_busy(const fs_exec_stats *s);
/* Largest wake-to-poll latency of any task. */
int64_t fs_summary_max_wake_latency(const fs_exec *ex);
/* The longest wait of any task from runnable (spawned or woken) to a poll. */
int64_t fs_summary_max_runnable_wait(const fs_exec *ex);

#endif
