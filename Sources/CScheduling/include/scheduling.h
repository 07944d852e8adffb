#ifndef RD_SCHEDULING_H
#define RD_SCHEDULING_H

#include <stdint.h>

/// Asks the kernel to give the calling thread a short time slice under the fair scheduler (Linux
/// 6.12+: `sched_attr.sched_runtime` is the slice of a SCHED_OTHER thread, clamped to 0.1–100 ms).
/// A thread with a shorter slice than the running one preempts it when it wakes, so a latency-
/// sensitive loop is not held behind a busy neighbour's whole slice. Keeps the thread's policy and
/// nice value. Returns 0 (kernels before 6.12 accept the call and keep their usual slice), or the errno.
int rd_request_short_slice(uint64_t nanoseconds);

#endif
