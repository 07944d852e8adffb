import Foundation
import PeerStore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import Synchronization
import TestSupport
import Testing

/// SIGTERM to the built hbbs while RegisterPks keep arriving over UDP: it stops receiving, commits what
/// it took, answers that, and only then closes its socket. So every registration in the database was
/// answered OK, and every one answered OK is in the database.
@Suite struct ShutdownUnderLoadTests {
    /// Requests kept in flight: one per client socket, each waiting for its answer before the next, so
    /// an answer always names the registration it belongs to.
    static let clients = 16

    @Test(.timeLimit(.minutes(2)))
    func answeredAndStoredRegistrationsAreTheSame() async throws {
        let directory = try TemporaryDirectory()
        let port = try ExecutableTests.freePortBlock()
        let hbbs = try ExecutableTests.launch("hbbs", ["-p", "\(port)"], in: directory.path)
        defer { if hbbs.isRunning { hbbs.terminate() } }
        #expect(try await Self.waitUntilServing(port: port))

        let answered = AnsweredCount()
        let outcomes = try await withThrowingTaskGroup(of: [(id: String, ok: Bool)].self) { group in
            for _ in 0..<Self.clients {
                group.addTask { try await Self.registerUntilStopped(port: port, hbbs: hbbs, answered: answered) }
            }
            // Stop it mid-load, once registrations are flowing.
            let flowing = await poll(timeout: .seconds(60)) { answered.value >= 300 }
            #expect(flowing)
            kill(hbbs.processIdentifier, SIGTERM)
            var all: [(id: String, ok: Bool)] = []
            for try await outcome in group { all += outcome }
            return all
        }
        #expect(await ExecutableTests.waitForExit(hbbs, timeout: .seconds(30)))
        #expect(hbbs.terminationStatus == 0)

        let store = try SQLitePeerStore(location: DatabaseLocation(path: directory.file("db_v2.sqlite3")))
        var stored = 0
        for outcome in outcomes {
            let isStored = try await store.peer(id: outcome.id) != nil
            if isStored { stored += 1 }
            #expect(isStored == outcome.ok, "\(outcome.id): answered OK \(outcome.ok), stored \(isStored)")
        }
        await store.shutdown()
        #expect(stored >= 300)
    }

    /// Waits for hbbs to answer a RegisterPeer (it needs a moment to start).
    static func waitUntilServing(port: Int) async throws -> Bool {
        let probe = try await UDPTestPeer()
        defer { Task { await probe.close() } }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            try await probe.send(Messages.registerPeer(Messages.newID()), to: port)
            if (try? await probe.receive(timeout: .milliseconds(500)))?.registerPeerResponse.requestPk == true {
                return true
            }
        }
        return false
    }

    /// Registers new IDs one after another until hbbs stops answering. While hbbs runs, an answer is
    /// awaited however long it takes; once the process has gone, only an answer it already sent can
    /// still arrive, and a request without one was never taken.
    static func registerUntilStopped(
        port: Int, hbbs: Process, answered: AnsweredCount
    ) async throws -> [(id: String, ok: Bool)] {
        let udp = try await UDPTestPeer()
        var outcomes: [(id: String, ok: Bool)] = []
        while true {
            let id = Messages.newID()
            try await udp.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: Messages.newPk()), to: port)
            var reply: Hbb_RendezvousMessage?
            while reply == nil {
                let running = hbbs.isRunning
                reply = try? await udp.receive(timeout: running ? .seconds(1) : .seconds(3))
                if reply == nil, !running { break }
            }
            guard let reply else {
                outcomes.append((id, false))
                break
            }
            let ok = reply.registerPkResponse.result == .ok
            if ok { answered.add() }
            outcomes.append((id, ok))
        }
        await udp.close()
        return outcomes
    }
}

/// Registrations answered OK so far, across the client tasks.
final class AnsweredCount: Sendable {
    private let count = Atomic(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
