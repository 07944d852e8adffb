#if canImport(Glibc)
    import Glibc
#endif

/// Starts the programs: `exec` for one, so the server is the container's main process and gets the
/// runtime's signals itself; a small supervisor for both.
public enum Launcher {
    /// Replaces this process with `path`; returns only on failure.
    public static func exec(_ path: String, arguments: [String]) -> ContainerError {
        let argv = CStringArray([path] + arguments)
        execv(path, argv.pointers)
        return .launch(program: path, reason: ServiceAccount.describe(errno))
    }

    /// Runs every program until all have exited, then returns the container's exit status.
    ///
    /// A stop signal (SIGTERM from `podman stop`, SIGINT, SIGHUP) is passed to each; when one exits by
    /// itself, the others are stopped too, so the container ends and its restart policy starts both again
    /// (a half-running pair would look healthy to nobody). The status is 0 when every program exited 0,
    /// else that of the first that did not.
    public static func supervise(_ programs: [(path: String, arguments: [String])], log: (String) -> Void) -> Int32 {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&signals, signal) }
        // Blocked before the first child starts, so no signal can arrive before sigwait is ready for it.
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        var running: [pid_t: String] = [:]
        var status: Int32 = 0
        for program in programs {
            switch spawn(program.path, arguments: program.arguments) {
            case .success(let pid):
                running[pid] = program.path
            case .failure(let error):
                log(error.description)
                status = 1
            }
        }
        if status != 0 { stop(running) }
        var stopping = status != 0
        while !running.isEmpty {
            var received: Int32 = 0
            guard sigwait(&signals, &received) == 0 else { continue }
            if received != SIGCHLD {
                if !stopping { log("stopping on signal \(received)") }
                stopping = true
                stop(running)
                continue
            }
            var waitStatus: Int32 = 0
            while case let pid = waitpid(-1, &waitStatus, WNOHANG), pid > 0 {
                // As process 1 the supervisor also reaps orphans it never started; only its own count.
                guard let path = running.removeValue(forKey: pid) else { continue }
                let exitCode = code(waitStatus)
                if exitCode != 0, status == 0 { status = exitCode }
                log("\(path) exited with status \(exitCode)")
                if !stopping {
                    stopping = true
                    if status == 0 { status = 1 }
                    stop(running)
                }
            }
        }
        return status
    }

    private static func stop(_ running: [pid_t: String]) {
        for pid in running.keys { kill(pid, SIGTERM) }
    }

    /// The shell's convention: the exit code, or 128 + the signal that ended it.
    private static func code(_ waitStatus: Int32) -> Int32 {
        let signal = waitStatus & 0x7F
        return signal == 0 ? (waitStatus >> 8) & 0xFF : 128 + signal
    }

    private static func spawn(_ path: String, arguments: [String]) -> Result<pid_t, ContainerError> {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no blocked signal and default dispositions, as if started by a shell.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let argv = CStringArray([path] + arguments)
        let result = posix_spawn(&pid, path, nil, &attributes, argv.pointers, environ)
        guard result == 0 else {
            return .failure(.launch(program: path, reason: ServiceAccount.describe(result)))
        }
        return .success(pid)
    }
}

/// A NULL-terminated `char *[]` that lives as long as this value.
final class CStringArray {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }
}
