import Dispatch
import Foundation
import GRDB
import RendezvousCore
import Synchronization
import TestSupport
import Testing

@testable import PeerStore

/// Group commit through `save`: what lands on disk, when completions run, and what fails alone.
@Suite struct WriterTests {
    @Test func saveInsertsThenLaterSavesUpdateTheRow() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path), busyTimeoutSeconds: lockPatience)
        let uuid = Array("0c1e8e2a-2f0a-4f5e-9b7e-3d2b1f0a9c8d".utf8)
        let pk = [UInt8](repeating: 0xAB, count: 32)
        var save = PeerSave(guid: PeerGUID.make(), id: "roundtrip1", uuid: uuid, pk: pk, infoIP: "::ffff:192.168.1.5")
        try await store.saveAndWait(save).get()
        #expect(
            try await store.peer(id: "roundtrip1")
                == PeerRecord(guid: save.guid, id: "roundtrip1", uuid: uuid, pk: pk, ip: "::ffff:192.168.1.5"))

        save.pk = [UInt8](repeating: 0xCD, count: 32)
        save.uuid = Array("another-uuid".utf8)
        save.infoIP = "2001:db8::9"
        try await store.saveAndWait(save).get()
        // uuid is never updated; pk and info are.
        #expect(
            try await store.peer(id: "roundtrip1")
                == PeerRecord(guid: save.guid, id: "roundtrip1", uuid: uuid, pk: save.pk, ip: "2001:db8::9"))
        #expect(try await store.peerCount() == 1)
        await store.shutdown()

        let stored = try await DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT info FROM peer WHERE id = 'roundtrip1'")
        }
        #expect(stored == #"{"ip":"2001:db8::9"}"#)
    }

    /// Both queued before either commits, as when a peer re-registers during a commit.
    @Test func savesOfOneGuidInOneBatchLandOnOneRow() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLitePeerStore(location: DatabaseLocation(path: dir.file("db.sqlite3")))
        let guid = PeerGUID.make()
        let uuid = Array("uuid-of-save".utf8)
        let outcomes = Outcomes<Result<Void, PeerStoreError>>()
        outcomes.expect(2)
        store.save(PeerSave(guid: guid, id: "saved1", uuid: uuid, pk: [1], infoIP: "1.2.3.4")) { outcomes.record($0) }
        store.save(PeerSave(guid: guid, id: "saved1", uuid: [9], pk: [2], infoIP: "5.6.7.8")) { outcomes.record($0) }
        #expect(await outcomes.wait())
        for outcome in outcomes.all { #expect(throws: Never.self) { try outcome.get() } }
        // uuid stays what the insert wrote; pk and info follow the latest save.
        #expect(
            try await store.peer(id: "saved1")
                == PeerRecord(guid: guid, id: "saved1", uuid: uuid, pk: [2], ip: "5.6.7.8"))
        #expect(try await store.peerCount() == 1)
        await store.shutdown()
    }

    /// A failing save (duplicate id) gets its error; the saves beside it in the same transaction are kept.
    @Test func duplicateIDFailsAloneInItsBatch() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path), busyTimeoutSeconds: lockPatience)
        try await store.saveAndWait(.make(id: "existing")).get()

        // Park the writer on SQLite's lock with a first batch, so the next four share one batch.
        let lock = try WriteLockHolder(path: path)
        let first = Outcomes<Result<Void, PeerStoreError>>()
        first.expect()
        store.save(.make(id: "parked01")) { first.record($0) }
        #expect(await store.waitUntilQueueTaken())

        let batch = Outcomes<(String, Result<Void, PeerStoreError>)>()
        let ids = ["fresh-a", "existing", "fresh-a", "fresh-b"]
        batch.expect(ids.count)
        for id in ids {
            store.save(.make(id: id)) { batch.record((id, $0)) }
        }
        #expect(store.queueDepth == 4)
        try lock.release()
        #expect(await first.wait())
        #expect(await batch.wait())

        let results = batch.all
        #expect(results.map(\.0) == ids)
        let failures = results.compactMap { if case .failure(let error) = $0.1 { error } else { nil } }
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.isUniqueViolation })
        #expect((try? results[0].1.get()) != nil)
        #expect((try? results[3].1.get()) != nil)
        for id in ["parked01", "fresh-a", "fresh-b", "existing"] {
            #expect(try await store.peer(id: id) != nil)
        }
        #expect(try await store.peerCount() == 4)
        // A row failing inside a committed batch is not a store failure.
        #expect(store.acceptsWrites)
        await store.shutdown()
    }

    /// When a completion runs, its row is already visible to a different connection.
    @Test func completionRunsAfterCommit() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        let store = try SQLitePeerStore(location: DatabaseLocation(path: path), busyTimeoutSeconds: lockPatience)
        let observer = try DatabaseQueue(path: path)
        defer { try? observer.close() }

        let seen = Outcomes<Bool>()
        let ids = (0..<200).map { "visible-\($0)" }
        seen.expect(ids.count)
        for id in ids {
            store.save(.make(id: id)) { result in
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
        await store.shutdown()
    }

    @Test func concurrentSubmittersAllCommit() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLitePeerStore(
            location: DatabaseLocation(path: dir.file("db.sqlite3")), writeQueueCapacity: 32_768)
        let threads = 8
        let perThread = 2_500
        let outcomes = Outcomes<Bool>()
        outcomes.expect(threads * perThread)
        let start = DispatchTime.now()
        await offThePool {
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for index in 0..<perThread {
                    store.save(.make(id: "peer-\(thread)-\(index)")) { outcomes.record((try? $0.get()) != nil) }
                }
            }
        }
        #expect(await outcomes.wait(seconds: 120))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print("PeerWriter: \(threads * perThread) saves from \(threads) threads committed in \(seconds) s")
        #expect(outcomes.all.count == threads * perThread)
        #expect(outcomes.all.allSatisfy { $0 })
        #expect(try await store.peerCount() == threads * perThread)
        var loaded = Set<String>()
        _ = try store.loadAll { loaded.insert($0.id) }
        #expect(loaded.count == threads * perThread)
        #expect(loaded.contains("peer-7-2499"))
        await store.shutdown()
    }

    /// A full queue fails the save through its completion, before `save` returns, and reports itself
    /// in `queueDepth` and `acceptsWrites`.
    @Test func fullQueueRejectsThroughTheCompletion() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("db.sqlite3")
        let store = try SQLitePeerStore(
            location: DatabaseLocation(path: path), writeQueueCapacity: 2, busyTimeoutSeconds: lockPatience)

        let lock = try WriteLockHolder(path: path)
        let outcomes = Outcomes<Bool>()
        outcomes.expect(3)
        store.save(.make(id: "in-flight")) { outcomes.record((try? $0.get()) != nil) }
        #expect(await store.waitUntilQueueTaken())
        #expect(store.queueDepth == 0)
        store.save(.make(id: "queued-1")) { outcomes.record((try? $0.get()) != nil) }
        #expect(store.queueDepth == 1)
        #expect(store.acceptsWrites)
        store.save(.make(id: "queued-2")) { outcomes.record((try? $0.get()) != nil) }
        #expect(store.queueDepth == 2)
        #expect(!store.acceptsWrites)

        let rejected = Mutex<[Result<Void, PeerStoreError>]>([])
        store.save(.make(id: "rejected")) { result in rejected.withLock { $0.append(result) } }
        #expect(rejected.withLock { $0.count } == 1)
        #expect(throws: PeerStoreError.queueFull(capacity: 2)) { try rejected.withLock { $0 }.first?.get() }

        try lock.release()
        #expect(await outcomes.wait())
        #expect(outcomes.all == [true, true, true])
        #expect(try await store.peer(id: "rejected") == nil)
        #expect(store.acceptsWrites)
        await store.shutdown()
    }
}
