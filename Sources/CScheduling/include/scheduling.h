#ifndef RD_SCHEDULING_H
#define RD_SCHEDULING_H

#include <stdint.h>

/// Puts the calling thread under the fair scheduler (SCHED_OTHER) at its current nice value, and asks
/// for a time slice of `slice_nanoseconds` (Linux 6.12+: `sched_attr.sched_runtime` is a fair
/// thread's slice, clamped to 0.1–100 ms; a thread with a shorter slice than the running one preempts
/// it when it wakes; older kernels accept the call and keep their usual slice). Always permitted,
/// also to leave SCHED_FIFO. Returns 0 or the errno.
int rd_schedule_fair(uint64_t slice_nanoseconds);

/// Puts the calling thread under SCHED_FIFO at `priority` (1 is the lowest real-time priority).
/// Needs root, CAP_SYS_NICE or an RLIMIT_RTPRIO of at least `priority`; returns 0 or the errno
/// (EPERM without them, also inside a cgroup that grants no real-time budget).
int rd_schedule_realtime(int priority);

#endif
