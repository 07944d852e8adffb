#ifndef RUSTDESK_RELAY_POLL_H
#define RUSTDESK_RELAY_POLL_H

// epoll and eventfd for hbbr's direct relay loop: Glibc's Swift module map leaves out <sys/epoll.h>
// and <sys/eventfd.h>, so these wrappers take and return plain integers (relay_poll.c checks the
// flag values against the system's at compile time).

enum {
    RD_POLL_IN = 0x001,
    RD_POLL_OUT = 0x004,
    RD_POLL_ERR = 0x008,
    RD_POLL_HUP = 0x010,
};

/// epoll_create1(EPOLL_CLOEXEC); -1 with errno.
int rd_poll_create(void);

/// Adds `fd` to the set with `events` (level-triggered), or changes its events; 0, or -1 with errno.
int rd_poll_add(int poll_fd, int fd, unsigned int events);
int rd_poll_modify(int poll_fd, int fd, unsigned int events);

/// Waits up to `timeout_ms` (-1: forever) for up to `count` events; fills `fds` and `events`.
/// Returns the number of events, or -1 with errno.
int rd_poll_wait(int poll_fd, int *fds, unsigned int *events, int count, int timeout_ms);

/// A non-blocking, close-on-exec eventfd; -1 with errno.
int rd_event_fd(void);

#endif
