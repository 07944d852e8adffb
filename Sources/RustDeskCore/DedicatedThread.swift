import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loop that runs on a thread of its own, outside NIO and the concurrency pool (hbbs's UDP loop,
/// hbbr's direct relay): starts the thread under a name `top -H` shows, and lets async code wait
/// until the loop has returned.
public final class DedicatedThread: Sendable {
    /// Whether the body has returned, and who waits for that.
    private let exit = Mutex<(finished: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Starts `body` on a new thread named `name` (Linux keeps at most 15 characters).
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            Self.nameCurrentThread(name)
            body()
            let waiters = exit.withLock { exit in
                exit.finished = true
                defer { exit.waiters = [] }
                return exit.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.start()
    }

    /// Names the calling OS thread. Foundation on Linux ignores a name set before `start()`, and one set
    /// from inside the thread is lost when the thread runs before `start()` has returned (seen under
    /// load), so this writes the kernel's name for the thread directly.
    static func nameCurrentThread(_ name: String) {
        #if os(Linux)
            let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { return }
            defer { close(fd) }
            let bytes = Array(name.utf8.prefix(15))
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        #else
            Thread.current.name = name
        #endif
    }

    /// Returns once the body has returned (at once if it already has).
    public func finished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = exit.withLock { exit in
                if !exit.finished { exit.waiters.append(continuation) }
                return exit.finished
            }
            if finished { continuation.resume() }
        }
    }
}
