#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include "relay_poll.h"

_Static_assert(RD_POLL_IN == EPOLLIN, "EPOLLIN");
_Static_assert(RD_POLL_OUT == EPOLLOUT, "EPOLLOUT");
_Static_assert(RD_POLL_ERR == EPOLLERR, "EPOLLERR");
_Static_assert(RD_POLL_HUP == EPOLLHUP, "EPOLLHUP");

int rd_poll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

static int rd_poll_control(int poll_fd, int op, int fd, unsigned int events) {
    struct epoll_event event = {0};
    event.events = events;
    event.data.fd = fd;
    return epoll_ctl(poll_fd, op, fd, &event);
}

int rd_poll_add(int poll_fd, int fd, unsigned int events) {
    return rd_poll_control(poll_fd, EPOLL_CTL_ADD, fd, events);
}

int rd_poll_modify(int poll_fd, int fd, unsigned int events) {
    return rd_poll_control(poll_fd, EPOLL_CTL_MOD, fd, events);
}

int rd_poll_wait(int poll_fd, int *fds, unsigned int *events, int count, int timeout_ms) {
    struct epoll_event ready[256];
    if (count > 256) count = 256;
    int n = epoll_wait(poll_fd, ready, count, timeout_ms);
    for (int i = 0; i < n; i++) {
        fds[i] = ready[i].data.fd;
        events[i] = ready[i].events;
    }
    return n;
}

int rd_event_fd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}
