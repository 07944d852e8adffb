import ContainerEntry
import Synchronization
import Testing

/// The both-servers supervisor with real processes (a shell and sleep stand in for hbbs and hbbr). Stop
/// signals are proven in the container itself (scripts/test-image.sh), since a test cannot signal its own
/// process without endangering the test runner.
struct LauncherTests {
    private final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func oneExitingByItselfStopsTheOtherAndFailsTheContainer() {
        let log = Lines()
        let status = Launcher.supervise(
            [("/bin/sh", ["-c", "exit 0"]), ("/bin/sleep", ["60"])], log: log.append)
        #expect(status == 1)
        #expect(log.all.contains("/bin/sh exited with status 0"))
        // sleep ended by the SIGTERM passed to it: 128 + 15.
        #expect(log.all.contains("/bin/sleep exited with status 143"))
    }

    @Test func theFirstFailureIsTheContainersStatus() {
        let status = Launcher.supervise([("/bin/sh", ["-c", "exit 3"]), ("/bin/sleep", ["60"])], log: { _ in })
        #expect(status == 3)
    }

    @Test func aProgramThatCannotStartStopsTheOthers() {
        let log = Lines()
        let status = Launcher.supervise(
            [("/bin/sleep", ["60"]), ("/nonexistent/hbbs", [])], log: log.append)
        #expect(status == 1)
        #expect(log.all.contains { $0.hasPrefix("cannot start /nonexistent/hbbs") })
        #expect(log.all.contains("/bin/sleep exited with status 143"))
    }
}
