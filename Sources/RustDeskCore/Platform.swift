#if !os(Linux)
    // hbbs's UDP loop (recvmmsg/sendmmsg) and hbbr's direct relay (epoll, eventfd) are Linux system calls.
    #error("rustdesk-server-swift builds on Linux only")
#endif
