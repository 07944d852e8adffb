import Dispatch
import GRDB
import Synchronization

/// The only writer of the `peer` table: takes inserts and updates from any thread and commits
/// them in groups (group commit). Owned by hbbs's store; the RegisterPk handler submits from
/// its event loop and answers the client from the completion.
///
/// Why this shape (design.md §2): a commit waits for the disk (fsync under `synchronous=FULL`),
/// so no event loop may run it, and one fsync per registration would cap hbbs at a few hundred
/// registrations per second. Submitting only appends to a bounded queue under a short lock; one
/// serial dispatch queue takes everything queued, runs it in ONE transaction, commits, and only
/// then calls each completion — so "OK" is never sent for a row that is not on disk. While a
/// commit runs, new work piles up and becomes the next batch, so batches grow with load.
///
/// Completions run on the writer's queue, one after another: they must be short and must not
/// block (hop to your event loop). They may submit more work; they must not call `close()`.
public final class PeerWriter: Sendable {
    /// Maximum number of operations waiting for a batch; beyond it, submits throw `.queueFull`.
    public let capacity: Int
    private let pool: DatabasePool
    /// Background QoS, which libdispatch on Linux runs at nice 10: on a busy core the scheduler then
    /// lets the UDP registration thread and the event loops preempt a commit, so heartbeats are
    /// not delayed behind SQLite work; the writer still gets every cycle they leave idle.
    private let queue = DispatchQueue(label: "rustdesk.peerstore.writer", qos: .background)
    /// Guards the operations waiting for the next batch, whether submits are accepted, and
    /// whether a drain is scheduled on `queue`. Held only to append or to take the whole queue.
    private let state = Mutex(State())

    private struct State {
        var pending: [PeerWrite] = []
        var accepting = true
        /// Invariant: `pending` non-empty implies a drain is scheduled or running.
        var drainScheduled = false
    }

    public init(database: PeerDatabase, capacity: Int = 16_384) {
        self.pool = database.pool
        self.capacity = max(1, capacity)
    }

    /// Queues the insert of a new peer row with a fresh random guid and `info = {"ip":"<ip>"}`.
    /// The completion gets the new guid once committed, or the error (e.g. a duplicate id).
    /// Never blocks; if this throws (`.queueFull`, `.closed`), the completion is never called.
    public func insertPeer(
        id: String, uuid: [UInt8], pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<[UInt8], PeerStoreError>) -> Void
    ) throws(PeerStoreError) {
        let info = PeerInfo.encode(ip: ip)
        try submit(.insert(guid: PeerGUID.make(), id: id, uuid: uuid, pk: pk, info: info, completion: completion))
    }

    /// Queues `UPDATE peer SET id, pk, info WHERE guid` (uuid is never updated). Matching no row is
    /// not an error, as in the reference. Never blocks; if this throws, the completion is never called.
    public func updatePeer(
        guid: [UInt8], id: String, pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void
    ) throws(PeerStoreError) {
        try submit(.update(guid: guid, id: id, pk: pk, info: PeerInfo.encode(ip: ip), completion: completion))
    }

    /// Queues an insert of the row `guid`, or, if that row exists, an update of its id, pk and info
    /// (uuid is kept). hbbs assigns the guid in memory before queueing, so a first registration and
    /// the changes that follow it before the commit all land on one row, in order.
    public func savePeer(
        guid: [UInt8], id: String, uuid: [UInt8], pk: [UInt8], ip: String,
        completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void
    ) throws(PeerStoreError) {
        try submit(.save(guid: guid, id: id, uuid: uuid, pk: pk, info: PeerInfo.encode(ip: ip), completion: completion))
    }

    /// `insertPeer` for async callers: returns the new guid after the commit.
    public func insertPeer(id: String, uuid: [UInt8], pk: [UInt8], ip: String) async throws(PeerStoreError) -> [UInt8] {
        try await withCheckedContinuation { continuation in
            do throws(PeerStoreError) {
                try insertPeer(id: id, uuid: uuid, pk: pk, ip: ip) { continuation.resume(returning: $0) }
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }.get()
    }

    /// `updatePeer` for async callers: returns after the commit.
    public func updatePeer(guid: [UInt8], id: String, pk: [UInt8], ip: String) async throws(PeerStoreError) {
        try await withCheckedContinuation { continuation in
            do throws(PeerStoreError) {
                try updatePeer(guid: guid, id: id, pk: pk, ip: ip) { continuation.resume(returning: $0) }
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }.get()
    }

    /// Stops accepting, commits everything already queued and waits until its completions ran.
    /// Blocks the caller; must not be called from a completion (it would wait for itself).
    public func close() {
        dispatchPrecondition(condition: .notOnQueue(queue))
        state.withLock { $0.accepting = false }
        // Every accepted operation's drain was enqueued before this point (see `submit`), and the
        // queue is serial and FIFO, so this empty block runs after they have all finished.
        queue.sync {}
    }

    /// Suspends until everything submitted so far is committed and its completions ran; keeps accepting.
    public func flush() async {
        // As in `close()`: every accepted save's drain is queued ahead of this block, or is running and
        // takes the save before it returns.
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume() }
        }
    }

    /// `close()` without blocking a thread: suspends until the pending work is committed.
    public func shutdown() async {
        state.withLock { $0.accepting = false }
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume() }
        }
    }

    private func submit(_ write: PeerWrite) throws(PeerStoreError) {
        try state.withLock { state throws(PeerStoreError) in
            guard state.accepting else { throw .closed }
            guard state.pending.count < capacity else { throw .queueFull(capacity: capacity) }
            state.pending.append(write)
            if !state.drainScheduled {
                state.drainScheduled = true
                // Enqueued under the lock so that close()'s barrier block always lands behind it.
                queue.async { self.drain() }
            }
        }
    }

    /// Runs on `queue`: commits batches until nothing is pending.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [PeerWrite] in
                if state.pending.isEmpty {
                    state.drainScheduled = false
                    return []
                }
                var taken: [PeerWrite] = []
                swap(&taken, &state.pending)
                return taken
            }
            if batch.isEmpty { return }
            let outcomes = commit(batch)
            for (write, outcome) in zip(batch, outcomes) {
                write.complete(outcome)
            }
        }
    }

    /// One transaction for the whole batch; returns each operation's outcome in order.
    ///
    /// A failing operation (a duplicate id) must not cost the others their writes. Each operation
    /// is a single statement, and SQLite undoes a failed statement alone while the transaction
    /// stays open (ON CONFLICT ABORT), so no per-operation savepoint is needed. Errors that make
    /// SQLite roll back the whole transaction (disk full, I/O) fail the entire batch instead.
    private func commit(_ batch: [PeerWrite]) -> [Result<Void, PeerStoreError>] {
        do {
            return try pool.writeWithoutTransaction { db in
                var outcomes: [Result<Void, PeerStoreError>] = []
                outcomes.reserveCapacity(batch.count)
                try db.inTransaction(.immediate) {
                    for write in batch {
                        do {
                            try write.apply(db)
                            outcomes.append(.success(()))
                        } catch {
                            // Earlier successes were rolled back with the transaction: do not report them.
                            guard db.isInsideTransaction else { throw error }
                            outcomes.append(.failure(PeerStoreError(error)))
                        }
                    }
                    return .commit
                }
                return outcomes
            }
        } catch {
            let failure = PeerStoreError(error)
            return batch.map { _ in .failure(failure) }
        }
    }
}

extension PeerWriter {
    /// Operations waiting for the next batch (not the one being committed); for tests and metrics.
    public var pendingCount: Int { state.withLock { $0.pending.count } }
}
