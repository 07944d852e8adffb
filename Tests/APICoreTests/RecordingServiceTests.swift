import APICore
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

/// RecordingService without HTTP: the upload slots bound how many steps run at once, and the size
/// cap holds at the boundary.
@Suite struct RecordingServiceTests {
    private static let name = RecordingName("incoming_1_20260101120000000_display0_vp9.webm")

    private func service(_ directory: TemporaryDirectory, slots: Int = 4, maxFileBytes: UInt64 = 1 << 20)
        -> RecordingService
    {
        RecordingService(
            directory: directory.file("recordings"), blocking: .inline, maxFileBytes: maxFileBytes,
            maxConcurrentUploads: slots, logger: Logger(label: "test"))
    }

    @Test func noMoreThanTheSlotCountRunAtOnce() async throws {
        let recordings = service(try TemporaryDirectory(), slots: 2)
        let gauge = Gauge()
        let gates = (0..<3).map { _ in Gate() }
        var tasks: [Task<Void, any Error>] = []
        for gate in gates.prefix(2) {
            tasks.append(Task { try await recordings.withUploadSlot { await gauge.hold(until: gate) } })
        }
        #expect(await poll(timeout: .seconds(10)) { gauge.entered == 2 })
        tasks.append(Task { try await recordings.withUploadSlot { await gauge.hold(until: gates[2]) } })
        gates[0].open()
        #expect(await poll(timeout: .seconds(10)) { gauge.entered == 3 })
        for gate in gates { gate.open() }
        for task in tasks { try await task.value }
        #expect(gauge.highest == 2)
    }

    @Test func aCancelledWaiterLeavesWithoutTakingASlot() async throws {
        let recordings = service(try TemporaryDirectory(), slots: 1)
        let gauge = Gauge()
        let gate = Gate()
        let holder = Task { try await recordings.withUploadSlot { await gauge.hold(until: gate) } }
        #expect(await poll(timeout: .seconds(10)) { gauge.entered == 1 })
        let waiter = Task { try await recordings.withUploadSlot { gauge.entered } }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        gate.open()
        try await holder.value
        #expect(try await recordings.withUploadSlot { gauge.entered } == 1)
    }

    @Test func partsMayFillTheFileExactlyToItsCap() async throws {
        let name = try #require(Self.name)
        let recordings = service(try TemporaryDirectory(), maxFileBytes: 8)
        try await recordings.apply(.start, to: name)
        try await recordings.apply(.part(offset: 4, bytes: [1, 2, 3, 4]), to: name)
        await #expect(throws: RecordingFailure.beyondMaximumSize) {
            try await recordings.apply(.part(offset: 5, bytes: [1, 2, 3, 4]), to: name)
        }
        await #expect(throws: RecordingFailure.beyondMaximumSize) {
            try await recordings.apply(.part(offset: UInt64.max, bytes: [1]), to: name)
        }
        await #expect(throws: RecordingFailure.beyondMaximumSize) {
            try await recordings.apply(.tail(bytes: Array(repeating: 0, count: 9)), to: name)
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: recordings.directory + "/" + name.text))
        #expect([UInt8](bytes) == [0, 0, 0, 0, 1, 2, 3, 4])
    }

    @Test func aSymlinkInTheDirectoryIsNotFollowed() async throws {
        let name = try #require(Self.name)
        let directory = try TemporaryDirectory()
        let recordings = service(directory)
        try await recordings.apply(.start, to: name)
        try directory.write("target", "untouched")
        let link = recordings.directory + "/" + name.text
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory.file("target"))
        await #expect(throws: RecordingFailure.storage) {
            try await recordings.apply(.part(offset: 0, bytes: [1, 2, 3]), to: name)
        }
        #expect(try String(contentsOfFile: directory.file("target"), encoding: .utf8) == "untouched")
    }
}

/// Counts the bodies inside a slot and the most at once.
private final class Gauge: Sendable {
    /// Guards (inside now, entered in total, most inside at once).
    private let counts = Mutex<(inside: Int, entered: Int, highest: Int)>((0, 0, 0))

    var entered: Int { counts.withLock { $0.entered } }
    var highest: Int { counts.withLock { $0.highest } }

    func hold(until gate: Gate) async {
        counts.withLock {
            $0.inside += 1
            $0.entered += 1
            $0.highest = max($0.highest, $0.inside)
        }
        await gate.wait()
        counts.withLock { $0.inside -= 1 }
    }
}

/// A one-shot latch tasks wait on until the test opens it.
private final class Gate: Sendable {
    /// Guards whether it is open and who waits.
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if isOpen { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
