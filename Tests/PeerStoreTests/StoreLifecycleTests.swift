import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

@testable import PeerStore

/// The store as hbbs runs it: a Service that stops last, flush, the closed store, and its health
/// and metrics hooks.
@Suite struct StoreLifecycleTests {
    /// Run in a ServiceGroup, the store commits and answers what is queued before `run()` returns.
    @Test func gracefulShutdownCommitsQueuedSavesBeforeRunReturns() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path), busyTimeoutSeconds: lockPatience)
        let group = ServiceGroup(services: [store], logger: Logger(label: "peerstore-test"))
        let running = Task { try await group.run() }

        // Hold SQLite's lock so that the saves are still queued when the shutdown starts.
        let lock = try WriteLockHolder(path: path)
        let committed = Mutex(0)
        for index in 0..<100 {
            store.save(.make(id: "service-\(index)")) { result in
                if (try? result.get()) != nil { committed.withLock { $0 += 1 } }
            }
        }
        await group.triggerGracefulShutdown()
        #expect(await poll(timeout: .seconds(30)) { !store.acceptsWrites })  // the shutdown has begun
        #expect(committed.withLock { $0 } == 0)
        try lock.release()
        try await running.value

        #expect(committed.withLock { $0 } == 100)
        #expect(try rawPeerRows(path).count == 100)
        let late = Mutex<[Result<Void, PeerStoreError>]>([])
        store.save(.make(id: "too-late")) { result in late.withLock { $0.append(result) } }
        #expect(throws: PeerStoreError.closed) { try late.withLock { $0 }.first?.get() }
    }

    /// Listed first, the store stops last: a service after it still saves during its own shutdown.
    @Test func storeListedFirstStopsLast() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.file("db.sqlite3")))
        let server = SavesWhenStopping(store: store)
        let group = ServiceGroup(services: [store, server], logger: Logger(label: "peerstore-test"))
        let running = Task { try await group.run() }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(server.outcomes.withLock { $0.count } == 1)
        #expect(throws: Never.self) { try server.outcomes.withLock { $0 }.first?.get() }
    }

    /// A save on a shut-down store fails through its completion, once and at once; it never throws.
    @Test func saveAfterShutdownCompletesWithClosed() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.file("db.sqlite3")))
        #expect(store.acceptsWrites)
        await store.shutdown()
        #expect(!store.acceptsWrites)
        let outcomes = Mutex<[Result<Void, PeerStoreError>]>([])
        store.save(.make(id: "closed")) { result in outcomes.withLock { $0.append(result) } }
        #expect(outcomes.withLock { $0.count } == 1)
        #expect(throws: PeerStoreError.closed) { try outcomes.withLock { $0 }.first?.get() }
        await store.shutdown()  // a second shutdown (the group's, after a test's) is harmless
        #expect(outcomes.withLock { $0.count } == 1)
    }

    /// `flush` returns once every earlier save has committed and completed, and the store keeps accepting.
    @Test func flushWaitsForEarlierSaves() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.file("db.sqlite3")))
        let committed = Mutex(0)
        for index in 0..<500 {
            store.save(.make(id: "flush-\(index)")) { result in
                if (try? result.get()) != nil { committed.withLock { $0 += 1 } }
            }
        }
        await store.flush()
        #expect(committed.withLock { $0 } == 500)
        #expect(store.queueDepth == 0)
        try await store.saveAndWait(.make(id: "after-flush")).get()
        #expect(try await store.peerCount() == 501)
        await store.shutdown()
    }

    /// The observer sees each committed batch's size, before that batch's completions run.
    @Test func commitObserverGetsEachBatchSize() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        let batches = Mutex<[(size: Int, duration: Duration)]>([])
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path), busyTimeoutSeconds: lockPatience) {
            size, duration in
            batches.withLock { $0.append((size, duration)) }
        }
        let lock = try WriteLockHolder(path: path)
        let outcomes = Outcomes<Int>()
        outcomes.expect(4)
        store.save(.make(id: "first")) { _ in outcomes.record(batches.withLock { $0.count }) }
        #expect(await store.waitUntilQueueTaken())
        for index in 0..<3 {
            store.save(.make(id: "second-\(index)")) { _ in outcomes.record(batches.withLock { $0.count }) }
        }
        try lock.release()
        #expect(await outcomes.wait())
        #expect(batches.withLock { $0.map(\.size) } == [1, 3])
        #expect(batches.withLock { $0.allSatisfy { $0.duration >= .zero } })
        #expect(outcomes.all == [1, 2, 2, 2])
        await store.shutdown()
    }

    /// A batch whose transaction fails as a whole makes the store not ready until a commit succeeds;
    /// the observer counts only commits.
    @Test func failedCommitClearsAcceptsWritesUntilTheNextCommit() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        // No busy wait: with SQLite's lock held elsewhere, BEGIN IMMEDIATE fails at once.
        let database = try PeerDatabase.open(DatabaseLocation(path: path), busyTimeoutSeconds: 0)
        let commits = Mutex<[Int]>([])
        let writer = PeerWriter(database: database, capacity: 16) { size, _ in commits.withLock { $0.append(size) } }

        let lock = try WriteLockHolder(path: path)
        let failed = Outcomes<Result<Void, PeerStoreError>>()
        failed.expect()
        writer.save(.make(id: "busy")) { failed.record($0) }
        #expect(await failed.wait())
        #expect(throws: PeerStoreError.self) { try failed.all.first?.get() }
        #expect(!writer.acceptsWrites)
        #expect(commits.withLock { $0 }.isEmpty)

        try lock.release()
        let retried = Outcomes<Result<Void, PeerStoreError>>()
        retried.expect()
        writer.save(.make(id: "after-busy")) { retried.record($0) }
        #expect(await retried.wait())
        #expect(throws: Never.self) { try retried.all.first?.get() }
        #expect(writer.acceptsWrites)
        #expect(commits.withLock { $0 } == [1])
        await writer.shutdown { try? database.close() }
    }

    /// After a failed commit the writer probes by itself, so readiness returns without another save.
    @Test func failedCommitIsClearedByTheWritersOwnProbe() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        let database = try PeerDatabase.open(DatabaseLocation(path: path), busyTimeoutSeconds: 0)
        let writer = PeerWriter(database: database, capacity: 16, probeInterval: .milliseconds(10), onCommit: nil)

        let lock = try WriteLockHolder(path: path)
        let failed = Outcomes<Result<Void, PeerStoreError>>()
        failed.expect()
        writer.save(.make(id: "busy")) { failed.record($0) }
        #expect(await failed.wait())
        #expect(!writer.acceptsWrites)

        try lock.release()
        #expect(await poll(timeout: .seconds(30)) { writer.acceptsWrites })
        #expect(writer.queueDepth == 0)
        await writer.shutdown { try? database.close() }
    }
}

/// A stand-in for hbbs's server: on graceful shutdown it saves one more row and waits for the answer,
/// as the server flushes the store before closing its socket.
private final class SavesWhenStopping: Service {
    let store: SQLitePeerStore
    let outcomes = Mutex<[Result<Void, PeerStoreError>]>([])

    init(store: SQLitePeerStore) {
        self.store = store
    }

    func run() async {
        try? await gracefulShutdown()
        store.save(.make(id: "saved-while-stopping")) { [self] result in self.outcomes.withLock { $0.append(result) } }
        await store.flush()
    }
}
