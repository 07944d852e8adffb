#define _GNU_SOURCE
#include "scheduling.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__linux__) && defined(SYS_sched_setattr)
// The kernel's layout (uapi linux/sched/types.h, SCHED_ATTR_SIZE_VER0): glibc before 2.41 lacks it.
struct rd_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
};

static int rd_set_attr(uint32_t policy, int32_t nice, uint32_t priority, uint64_t runtime) {
    struct rd_sched_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.sched_policy = policy;
    attr.sched_nice = nice;
    attr.sched_priority = priority;
    attr.sched_runtime = runtime;
    // pid 0: the calling thread.
    if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0) return errno;
    return 0;
}

int rd_schedule_fair(uint64_t slice_nanoseconds) {
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);  // this thread's (Linux nice values are per thread)
    if (nice == -1 && errno != 0) return errno;
    return rd_set_attr(SCHED_OTHER, nice, 0, slice_nanoseconds);
}

int rd_schedule_realtime(int priority) {
    if (priority < 1) return EINVAL;
    return rd_set_attr(SCHED_FIFO, 0, (uint32_t)priority, 0);
}
#else
int rd_schedule_fair(uint64_t slice_nanoseconds) {
    (void)slice_nanoseconds;
    return ENOSYS;
}

int rd_schedule_realtime(int priority) {
    (void)priority;
    return ENOSYS;
}
#endif
