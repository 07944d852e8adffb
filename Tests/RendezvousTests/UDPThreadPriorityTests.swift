import CScheduling
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Rendezvous

/// The UDP thread's scheduling rules with a recording scheduler: real-time when permitted, fair under
/// a flood for at least a second, real-time again once quiet, fair for good when refused.
@Suite struct UDPThreadPriorityTests {
    /// Records each call and answers with the next result (0 = permitted).
    final class RecordingScheduler: Sendable {
        let calls = Mutex<[String]>([])
        let realtimeResult: Mutex<Int32>

        init(realtimeResult: Int32 = 0) {
            self.realtimeResult = Mutex(realtimeResult)
        }

        var scheduler: UDPThreadPriority.Scheduler {
            UDPThreadPriority.Scheduler(
                realtime: { [self] in
                    calls.withLock { $0.append("realtime") }
                    return realtimeResult.withLock { $0 }
                },
                fair: { [self] in
                    calls.withLock { $0.append("fair") }
                    return 0
                })
        }

        var recorded: [String] { calls.withLock { $0 } }
    }

    static let ms: UInt64 = 1_000_000

    @Test func startsRealtimeAndStaysThereUnderNormalLoad() {
        let recording = RecordingScheduler()
        var priority = UDPThreadPriority(now: 0, scheduler: recording.scheduler)
        #expect(priority.level == .realtime)
        // 10 % busy, window after window.
        for step in 1...50 {
            #expect(priority.record(busyNanoseconds: 10 * Self.ms, now: UInt64(step) * 100 * Self.ms) == nil)
        }
        #expect(priority.level == .realtime)
        #expect(recording.recorded == ["realtime"])
    }

    @Test func aFloodDemotesForAtLeastASecondThenQuietPromotes() {
        let recording = RecordingScheduler()
        var priority = UDPThreadPriority(now: 0, scheduler: recording.scheduler)
        // Nothing is decided before a window has passed.
        #expect(priority.record(busyNanoseconds: 90 * Self.ms, now: 90 * Self.ms) == nil)
        #expect(priority.record(busyNanoseconds: 10 * Self.ms, now: 100 * Self.ms) == .demoted(busyShare: 1.0))
        #expect(priority.level == .fair)
        // Quiet at once, but the demotion lasts a second.
        for now in stride(from: 200, through: 1_000, by: 100) {
            #expect(priority.record(busyNanoseconds: Self.ms, now: UInt64(now) * Self.ms) == nil)
        }
        #expect(priority.level == .fair)
        #expect(priority.record(busyNanoseconds: Self.ms, now: 1_100 * Self.ms) == .promoted)
        #expect(priority.level == .realtime)
        #expect(recording.recorded == ["realtime", "fair", "realtime"])
    }

    @Test func aLastingFloodKeepsItFair() {
        let recording = RecordingScheduler()
        var priority = UDPThreadPriority(now: 0, scheduler: recording.scheduler)
        _ = priority.record(busyNanoseconds: 80 * Self.ms, now: 100 * Self.ms)
        // Still 40 % busy after the second: above the quiet share, so it stays fair.
        for now in stride(from: 200, through: 3_000, by: 100) {
            #expect(priority.record(busyNanoseconds: 40 * Self.ms, now: UInt64(now) * Self.ms) == nil)
        }
        #expect(priority.level == .fair)
        #expect(recording.recorded == ["realtime", "fair"])
    }

    @Test func withoutThePrivilegeItStaysFairAndNeverAsksAgain() {
        let recording = RecordingScheduler(realtimeResult: 1)  // EPERM
        var priority = UDPThreadPriority(now: 0, scheduler: recording.scheduler)
        #expect(priority.level == .fair)
        #expect(!priority.mayUseRealtime)
        for now in stride(from: 100, through: 2_000, by: 100) {
            #expect(priority.record(busyNanoseconds: 0, now: UInt64(now) * Self.ms) == nil)
        }
        #expect(recording.recorded == ["realtime", "fair"])
    }

    @Test func aRefusalOnTheWayBackKeepsItFairForGood() {
        let recording = RecordingScheduler()
        var priority = UDPThreadPriority(now: 0, scheduler: recording.scheduler)
        _ = priority.record(busyNanoseconds: 100 * Self.ms, now: 100 * Self.ms)
        recording.realtimeResult.withLock { $0 = 1 }
        #expect(priority.record(busyNanoseconds: 0, now: 1_200 * Self.ms) == nil)
        #expect(priority.level == .fair)
        #expect(!priority.mayUseRealtime)
        #expect(priority.record(busyNanoseconds: 0, now: 2_400 * Self.ms) == nil)
        #expect(recording.recorded == ["realtime", "fair", "realtime"])
    }
}

/// The real thread: where this process may use SCHED_FIFO (probed on a throwaway thread), a running
/// hbbs's UDP thread uses it; where it may not, no UDP thread does.
@Suite struct UDPThreadSchedulingTests {
    /// The policy (`/proc/self/task/*/stat` field 41) of every thread named `hbbs-udp`.
    static func udpThreadPolicies() throws -> [Int] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        return tasks.compactMap { task in
            guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                name.trimmingCharacters(in: .whitespacesAndNewlines) == "hbbs-udp",
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let afterName = stat.range(of: ") ", options: .backwards)
            else { return nil }
            // Fields after the name start at field 3 (state); policy is field 41.
            let fields = stat[afterName.upperBound...].split(separator: " ")
            return fields.count > 38 ? Int(fields[38]) : nil
        }
    }

    /// Whether a new thread may switch itself to SCHED_FIFO 1 here.
    static func realtimeIsPermitted() async -> Bool {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: rd_schedule_realtime(1) == 0) }
            thread.start()
        }
    }

    @Test func theUDPThreadRunsRealtimeWherePermitted() async throws {
        let permitted = await Self.realtimeIsPermitted()
        let hbbs = try await TestHbbs()
        let fifo = 1
        // Its thread sets its policy first thing; other tests' servers may run beside it.
        let seen = await poll(timeout: .seconds(10)) {
            let policies = (try? Self.udpThreadPolicies()) ?? []
            return permitted ? policies.contains(fifo) : !policies.isEmpty && !policies.contains(fifo)
        }
        #expect(seen, "permitted: \(permitted), policies: \((try? Self.udpThreadPolicies()) ?? [])")
        await hbbs.stop()
    }
}
