#ifndef RUSTDESK_SOCKET_BATCH_H
#define RUSTDESK_SOCKET_BATCH_H

// recvmmsg/sendmmsg for Swift: Glibc's module map leaves out these GNU extensions, so this header
// mirrors `struct mmsghdr` (socket_batch.c checks the layout at compile time) and wraps the calls.

#include <sys/socket.h>

struct rd_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

/// recvmmsg with MSG_WAITFORONE: blocks (up to the socket's SO_RCVTIMEO) for the first datagram,
/// then takes what is already queued. Returns the count, or -1 with errno.
int rd_recvmmsg_waitforone(int fd, struct rd_mmsghdr *messages, unsigned int count);

/// sendmmsg; returns the number sent, or -1 with errno.
int rd_sendmmsg(int fd, struct rd_mmsghdr *messages, unsigned int count, int flags);

#endif
