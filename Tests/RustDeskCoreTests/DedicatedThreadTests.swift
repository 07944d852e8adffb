import Foundation
import RustDeskCore
import Synchronization
import Testing

@Suite struct DedicatedThreadTests {
    private final class Record: Sendable {
        let finishedBody = Atomic(false)
        let name = Mutex<String?>(nil)
    }

    /// The kernel's name for the thread (what `top -H` shows) is checked, not Foundation's.
    @Test(arguments: 0..<20) func finishedReturnsOnceTheBodyHasReturned(run: Int) async {
        let record = Record()
        let thread = DedicatedThread(name: "rd-test-thread") {
            let comm = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
            record.name.withLock { $0 = comm?.trimmingCharacters(in: .whitespacesAndNewlines) }
            Thread.sleep(forTimeInterval: 0.01)
            record.finishedBody.store(true, ordering: .sequentiallyConsistent)
        }
        await thread.finished()
        let finishedBody = record.finishedBody.load(ordering: .sequentiallyConsistent)
        #expect(finishedBody)
        #expect(record.name.withLock { $0 } == "rd-test-thread")
        await thread.finished()  // already over: returns at once
    }
}
