import Dispatch
import Foundation
import GRDB
import Synchronization
import Testing

@testable import PeerStore

@Suite struct WriterTests {
    @Test func insertThenUpdateRoundTrip() async throws {
        let dir = try TempDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.path("db.sqlite3")))
        defer { store.writer.close() }
        let uuid = Array("0c1e8e2a-2f0a-4f5e-9b7e-3d2b1f0a9c8d".utf8)
        let pk = [UInt8](repeating: 0xAB, count: 32)
        let guid = try await awaitInsert(store.writer, id: "roundtrip1", uuid: uuid, pk: pk, ip: "::ffff:192.168.1.5")
        #expect(guid.count == 16)
        #expect(
            try await store.database.peer(id: "roundtrip1")
                == PeerRecord(guid: guid, id: "roundtrip1", uuid: uuid, pk: pk, ip: "::ffff:192.168.1.5"))

        let outcomes = Outcomes<Result<Void, PeerStoreError>>()
        outcomes.expect()
        let newPK = [UInt8](repeating: 0xCD, count: 32)
        try store.writer.updatePeer(guid: guid, id: "roundtrip1", pk: newPK, ip: "2001:db8::9") { outcomes.record($0) }
        #expect(await outcomes.wait())
        #expect(throws: Never.self) { try outcomes.all.first?.get() }
        // uuid is never updated; pk and info are.
        #expect(
            try await store.database.peer(id: "roundtrip1")
                == PeerRecord(guid: guid, id: "roundtrip1", uuid: uuid, pk: newPK, ip: "2001:db8::9"))

        let stored = try await DatabaseQueue(path: dir.path("db.sqlite3")).read { db in
            try String.fetchOne(db, sql: "SELECT info FROM peer WHERE id = 'roundtrip1'")
        }
        #expect(stored == #"{"ip":"2001:db8::9"}"#)
    }

    @Test func saveInsertsThenUpdatesTheSameGuid() async throws {
        let dir = try TempDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.path("db.sqlite3")))
        defer { store.writer.close() }
        let guid = PeerGUID.make()
        let uuid = Array("uuid-of-save".utf8)
        let outcomes = Outcomes<Result<Void, PeerStoreError>>()
        outcomes.expect(2)
        // Both queued before either commits, as when a peer re-registers during a commit.
        try store.writer.savePeer(guid: guid, id: "saved1", uuid: uuid, pk: [1], ip: "1.2.3.4") { outcomes.record($0) }
        try store.writer.savePeer(guid: guid, id: "saved1", uuid: [9], pk: [2], ip: "5.6.7.8") { outcomes.record($0) }
        #expect(await outcomes.wait())
        for outcome in outcomes.all { #expect(throws: Never.self) { try outcome.get() } }
        // uuid stays what the insert wrote; pk and info follow the latest save.
        #expect(
            try await store.database.peer(id: "saved1")
                == PeerRecord(guid: guid, id: "saved1", uuid: uuid, pk: [2], ip: "5.6.7.8"))
        #expect(try store.database.count() == 1)
    }

    @Test func asyncInsertAndLookup() async throws {
        let dir = try TempDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.path("db.sqlite3")))
        let guid = try await store.writer.insertPeer(id: "async-peer", uuid: [1], pk: [2], ip: "::1")
        try await store.writer.updatePeer(guid: guid, id: "async-peer", pk: [3], ip: "::2")
        let record = try await store.peer(id: "async-peer")
        #expect(record?.pk == [3])
        #expect(record?.ip == "::2")
        await store.shutdown()
    }

    /// A failing op (duplicate id) gets its error; the ops beside it in the same transaction are kept.
    @Test func duplicateIDFailsAloneInItsBatch() async throws {
        let dir = try TempDirectory()
        let path = dir.path("db.sqlite3")
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        defer { store.writer.close() }
        _ = try await awaitInsert(store.writer, id: "existing", ip: "1.1.1.1")

        // Park the writer on SQLite's lock with a first batch, so the next three share one batch.
        let lock = try WriteLockHolder(path: path)
        let first = Outcomes<Result<[UInt8], PeerStoreError>>()
        first.expect()
        try store.writer.insertPeer(id: "parked01", uuid: [1], pk: [1], ip: "") { first.record($0) }
        #expect(await store.writer.waitUntilQueueTaken())

        let batch = Outcomes<(String, Result<[UInt8], PeerStoreError>)>()
        batch.expect(4)
        for id in ["fresh-a", "existing", "fresh-a", "fresh-b"] {
            try store.writer.insertPeer(id: id, uuid: [9], pk: [9], ip: "") { batch.record((id, $0)) }
        }
        #expect(store.writer.pendingCount == 4)
        try lock.release()
        #expect(await first.wait())
        #expect(await batch.wait())

        let results = batch.all
        #expect(results.map(\.0) == ["fresh-a", "existing", "fresh-a", "fresh-b"])
        let failures = results.compactMap { if case .failure(let error) = $0.1 { error } else { nil } }
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.isUniqueViolation })
        #expect((try? results[0].1.get()) != nil)
        #expect((try? results[3].1.get()) != nil)
        for id in ["parked01", "fresh-a", "fresh-b", "existing"] {
            #expect(try await store.database.peer(id: id) != nil)
        }
        #expect(try store.database.count() == 4)
    }

    /// When a completion runs, its row is already visible to a different connection.
    @Test func completionRunsAfterCommit() async throws {
        let dir = try TempDirectory()
        let path = dir.path("db.sqlite3")
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path))
        defer { store.writer.close() }
        let observer = try DatabaseQueue(path: path)
        defer { try? observer.close() }

        let seen = Outcomes<Bool>()
        let ids = (0..<200).map { "visible-\($0)" }
        seen.expect(ids.count)
        for id in ids {
            try store.writer.insertPeer(id: id, uuid: [1], pk: [2], ip: "::1") { result in
                let visible =
                    (try? observer.read { db in
                        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM peer WHERE id = ?", arguments: [id])
                    }) == 1
                seen.record((try? result.get()) != nil && visible)
            }
        }
        #expect(await seen.wait())
        #expect(seen.all.count == ids.count)
        #expect(seen.all.allSatisfy { $0 })
    }

    @Test func concurrentSubmittersAllCommit() async throws {
        let dir = try TempDirectory()
        let store = try SQLitePeerStore(
            location: DatabaseLocation(path: dir.path("db.sqlite3")), writeQueueCapacity: 32_768)
        defer { store.writer.close() }
        let threads = 8
        let perThread = 2_500
        let outcomes = Outcomes<Bool>()
        outcomes.expect(threads * perThread)
        let start = DispatchTime.now()
        await offThePool {
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for index in 0..<perThread {
                    do {
                        try store.writer.insertPeer(
                            id: "peer-\(thread)-\(index)", uuid: [UInt8(thread)], pk: [UInt8(index & 0xFF)], ip: "::1"
                        ) { outcomes.record((try? $0.get()) != nil) }
                    } catch {
                        outcomes.record(false)
                    }
                }
            }
        }
        #expect(await outcomes.wait(seconds: 120))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print("PeerWriter: \(threads * perThread) inserts from \(threads) threads committed in \(seconds) s")
        #expect(outcomes.all.count == threads * perThread)
        #expect(outcomes.all.allSatisfy { $0 })
        #expect(try store.database.count() == threads * perThread)
        var loaded = Set<String>()
        try store.database.forEachPeer { loaded.insert($0.id) }
        #expect(loaded.count == threads * perThread)
        #expect(loaded.contains("peer-7-2499"))
    }

    @Test func fullQueueRejectsImmediately() async throws {
        let dir = try TempDirectory()
        let path = dir.path("db.sqlite3")
        let database = try PeerDatabase.open(DatabaseLocation(path: path))
        let writer = PeerWriter(database: database, capacity: 2)
        defer { writer.close() }

        let lock = try WriteLockHolder(path: path)
        let outcomes = Outcomes<Bool>()
        outcomes.expect(3)
        try writer.insertPeer(id: "in-flight", uuid: [1], pk: [1], ip: "") { outcomes.record((try? $0.get()) != nil) }
        #expect(await writer.waitUntilQueueTaken())
        for id in ["queued-1", "queued-2"] {
            try writer.insertPeer(id: id, uuid: [1], pk: [1], ip: "") { outcomes.record((try? $0.get()) != nil) }
        }
        #expect(throws: PeerStoreError.queueFull(capacity: 2)) {
            try writer.insertPeer(id: "rejected", uuid: [1], pk: [1], ip: "") { _ in Issue.record("must not complete") }
        }
        try lock.release()
        #expect(await outcomes.wait())
        #expect(outcomes.all == [true, true, true])
        #expect(try await database.peer(id: "rejected") == nil)
    }

    @Test func shutdownDrainsPendingWork() async throws {
        let dir = try TempDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.path("db.sqlite3")))
        let completed = Mutex(0)
        for index in 0..<1_000 {
            try store.writer.insertPeer(id: "drain-\(index)", uuid: [1], pk: [1], ip: "") { result in
                if (try? result.get()) != nil { completed.withLock { $0 += 1 } }
            }
        }
        await store.writer.shutdown()
        // shutdown returns only after every accepted op was committed and completed.
        #expect(completed.withLock { $0 } == 1_000)
        #expect(try store.database.count() == 1_000)
        #expect(throws: PeerStoreError.closed) {
            try store.writer.insertPeer(id: "too-late", uuid: [1], pk: [1], ip: "") { _ in }
        }
        await store.shutdown()
    }

    @Test func closeDrainsPendingWork() async throws {
        let dir = try TempDirectory()
        let database = try PeerDatabase.open(DatabaseLocation(path: dir.path("db.sqlite3")))
        let writer = PeerWriter(database: database)
        let completed = Mutex(0)
        for index in 0..<500 {
            try writer.updatePeer(guid: PeerGUID.make(), id: "none-\(index)", pk: [1], ip: "") { result in
                if (try? result.get()) != nil { completed.withLock { $0 += 1 } }
            }
            try writer.insertPeer(id: "close-\(index)", uuid: [1], pk: [1], ip: "") { result in
                if (try? result.get()) != nil { completed.withLock { $0 += 1 } }
            }
        }
        await offThePool { writer.close() }
        #expect(completed.withLock { $0 } == 1_000)
        #expect(try database.count() == 500)
        try database.close()
    }
}
