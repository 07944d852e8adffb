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

int rd_request_short_slice(uint64_t nanoseconds) {
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);  // this thread's (Linux nice values are per thread)
    if (nice == -1 && errno != 0) return errno;
    struct rd_sched_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.sched_policy = SCHED_OTHER;
    attr.sched_nice = nice;
    attr.sched_runtime = nanoseconds;
    if (syscall(SYS_sched_setattr, 0, &attr, 0) != 0) return errno;
    return 0;
}
#else
int rd_request_short_slice(uint64_t nanoseconds) {
    (void)nanoseconds;
    return ENOSYS;
}
#endif
