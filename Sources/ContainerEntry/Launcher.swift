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
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
        // Blocked before the first child starts, so a stop signal waits for sigtimedwait instead of killing us.
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &signals, &previousMask)
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }

        var running: [pid_t: String] = [:]
        var status: Int32 = 0
        for program in programs {
            switch spawn(program.path, arguments: program.arguments) {
            case .success(let pid): running[pid] = program.path
            case .failure(let error):
                log(error.description)
                status = 1
            }
        }
        var stopping = status != 0
        if stopping { stop(running) }
        // Children are polled rather than awaited through SIGCHLD: another thread could take that signal.
        var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
        while !running.isEmpty {
            let received = sigtimedwait(&signals, nil, &pause)
            if received > 0 {
                if !stopping { log("stopping on signal \(received)") }
                stopping = true
                stop(running)
            }
            for (pid, waitStatus) in exited(running) {
                // As process 1 the supervisor also reaps orphans it inherits; only its own children count.
                guard let path = running.removeValue(forKey: pid) else { continue }
                let exitCode = code(waitStatus)
                log("\(path) exited with status \(exitCode)")
                if exitCode != 0, status == 0 { status = exitCode }
                if !stopping {
                    // Exited by itself: end the container so that its restart policy starts both again.
                    stopping = true
                    if status == 0 { status = 1 }
                    stop(running)
                }
            }
        }
        return status
    }

    /// The children that have exited, with their wait status. Process 1 waits for any child, since orphans
    /// become its own; anywhere else only for `running`, leaving other children to their owners.
    private static func exited(_ running: [pid_t: String]) -> [(pid: pid_t, waitStatus: Int32)] {
        var exits: [(pid: pid_t, waitStatus: Int32)] = []
        var waitStatus: Int32 = 0
        if getpid() == 1 {
            while case let pid = waitpid(-1, &waitStatus, WNOHANG), pid > 0 { exits.append((pid, waitStatus)) }
        } else {
            for pid in running.keys where waitpid(pid, &waitStatus, WNOHANG) == pid { exits.append((pid, waitStatus)) }
        }
        return exits
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
