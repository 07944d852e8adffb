#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include "socket_batch.h"

_Static_assert(sizeof(struct rd_mmsghdr) == sizeof(struct mmsghdr), "mmsghdr layout");
_Static_assert(offsetof(struct rd_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "mmsghdr layout");

int rd_recvmmsg_waitforone(int fd, struct rd_mmsghdr *messages, unsigned int count) {
    return recvmmsg(fd, (struct mmsghdr *)messages, count, MSG_WAITFORONE, NULL);
}

int rd_sendmmsg(int fd, struct rd_mmsghdr *messages, unsigned int count, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)messages, count, flags);
}
