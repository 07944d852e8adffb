import Foundation
import RustDeskCore
import Synchronization
import Testing

@Suite struct DedicatedThreadTests {
    private final class Record: Sendable {
        let finishedBody = Atomic(false)
        let name = Mutex<String?>(nil)
    }

    @Test func finishedReturnsOnceTheBodyHasReturned() async {
        let record = Record()
        let thread = DedicatedThread(name: "rd-test-thread") {
            record.name.withLock { $0 = Thread.current.name }
            Thread.sleep(forTimeInterval: 0.05)
            record.finishedBody.store(true, ordering: .sequentiallyConsistent)
        }
        await thread.finished()
        let finishedBody = record.finishedBody.load(ordering: .sequentiallyConsistent)
        #expect(finishedBody)
        #expect(record.name.withLock { $0 } == "rd-test-thread")
        await thread.finished()  // already over: returns at once
    }
}
