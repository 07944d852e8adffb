import APICore
import Dispatch
import GRDB
import RendezvousCore
import Synchronization

/// The only writer of the `peer` table: takes saves from any thread and commits them in groups
/// (group commit). Owned by `SQLitePeerStore`; the RegisterPk handler submits from its event loop
/// and answers the client from the completion.
///
/// Why this shape (design.md §2): a commit waits for the disk (fsync under `synchronous=FULL`),
/// so no event loop may run it, and one fsync per registration would cap hbbs at a few hundred
/// registrations per second. Submitting only appends to a bounded queue under a short lock; one
/// serial dispatch queue takes everything queued, runs it in ONE transaction, commits, and only
/// then calls each completion — so "OK" is never sent for a row that is not on disk. While a
/// commit runs, new work piles up and becomes the next batch, so batches grow with load.
///
/// Completions run on the writer's queue, one after another: they must be short and must not
/// block (hop to your event loop). They may submit more work.
final class PeerWriter: Sendable {
    /// Called on the writer's queue after each committed batch with its size and how long the
    /// transaction took (waiting for SQLite's lock included), before the batch's completions run.
    typealias CommitObserver = @Sendable (_ batchSize: Int, _ duration: Duration) -> Void

    /// Maximum number of saves waiting for a batch; beyond it, saves fail with `.queueFull`.
    let capacity: Int
    private let pool: DatabasePool
    private let onCommit: CommitObserver?
    /// Background QoS, which libdispatch on Linux runs at nice 10: on a busy core the scheduler then
    /// lets the UDP registration thread and the event loops preempt a commit, so heartbeats are
    /// not delayed behind SQLite work; the writer still gets every cycle they leave idle.
    private let queue = DispatchQueue(label: "rustdesk.peerstore.writer", qos: .background)
    /// Guards the saves waiting for the next batch, whether saves are accepted, whether a drain is
    /// scheduled on `queue`, and the last commit's outcome. Held only to append, to take the whole
    /// queue, or to read the health flags.
    private let state = Mutex(State())

    private struct State {
        var pending: [PeerWrite] = []
        var accepting = true
        /// Invariant: `pending` non-empty implies a drain is scheduled or running.
        var drainScheduled = false
        /// The most recent batch's transaction failed as a whole (I/O error, disk full, lock timeout).
        var lastCommitFailed = false
    }

    /// How long after a failed commit the writer checks, with an empty write transaction, whether
    /// SQLite takes writes again.
    let probeInterval: Duration

    init(database: PeerDatabase, capacity: Int, probeInterval: Duration = .seconds(1), onCommit: CommitObserver?) {
        self.pool = database.pool
        self.capacity = max(1, capacity)
        self.probeInterval = probeInterval
        self.onCommit = onCommit
    }

    /// See `PeerStore.save`: never blocks; a rejection completes synchronously.
    func save(_ save: PeerSave, completion: @escaping PeerWrite.Completion) {
        submit(PeerWrite(save: save, completion: completion))
    }

    /// Runs `body` in the next batch's transaction and returns its result once that batch has committed.
    /// A throwing `body` undoes only its own statements (a savepoint, or see `PeerWrite.Operation.unguarded`)
    /// and fails only this call.
    func perform<T: Sendable>(guarded: Bool = true, _ body: @escaping @Sendable (Database) throws -> T)
        async throws(PeerStoreError) -> T
    {
        let outcome: Result<T, PeerStoreError> = await withCheckedContinuation { continuation in
            perform(guarded: guarded, body) { continuation.resume(returning: $0) }
        }
        return try outcome.get()
    }

    /// `perform` for callers on an event loop that must not suspend: `completion` runs on the writer's
    /// queue once the batch has committed (or at once when the write is refused); hop before doing more.
    func perform<T: Sendable>(
        guarded: Bool = true, _ body: @escaping @Sendable (Database) throws -> T,
        completion: @escaping @Sendable (Result<T, PeerStoreError>) -> Void
    ) {
        let result = HandOff<T>()
        submit(
            PeerWrite(
                statements: { db in result.value = try body(db) }, guarded: guarded,
                completion: { outcome in
                    completion(outcome.flatMap { result.value.map { .success($0) } ?? .failure(.closed) })
                }))
    }

    private func submit(_ write: PeerWrite) {
        let completion = write.completion
        let rejection = state.withLock { state -> PeerStoreError? in
            guard state.accepting else { return .closed }
            guard state.pending.count < capacity else { return .queueFull(capacity: capacity) }
            state.pending.append(write)
            if !state.drainScheduled {
                state.drainScheduled = true
                // Enqueued under the lock so that a later flush's or shutdown's block always lands behind it.
                queue.async { self.drain() }
            }
            return nil
        }
        // Outside the lock: the completion may save again.
        if let rejection { completion(.failure(rejection)) }
    }

    /// Saves waiting for the next batch (not the one being committed).
    var queueDepth: Int { state.withLock { $0.pending.count } }

    /// See `PeerStore.acceptsWrites`.
    var acceptsWrites: Bool {
        state.withLock { $0.accepting && $0.pending.count < capacity && !$0.lastCommitFailed }
    }

    /// Suspends until everything submitted so far is committed and its completions ran; keeps accepting.
    func flush() async {
        // Every accepted save's drain is queued ahead of this block, or is running and takes the save
        // before it returns; the queue is serial and FIFO.
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume() }
        }
    }

    /// Stops accepting, commits what is queued, then runs `last` on the writer's queue (so a blocking
    /// close never holds a cooperative thread) and returns once it has run.
    func shutdown(then last: @escaping @Sendable () -> Void = {}) async {
        state.withLock { $0.accepting = false }
        await withCheckedContinuation { continuation in
            queue.async {
                last()
                continuation.resume()
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
            let start = ContinuousClock.now
            let (outcomes, committed) = commit(batch)
            let duration = ContinuousClock.now - start
            let failedFirst = state.withLock { state in
                defer { state.lastCommitFailed = !committed }
                return !committed && !state.lastCommitFailed
            }
            if failedFirst { scheduleProbe() }
            // Before the completions, so metrics already count a batch when its clients get their answers.
            if committed { onCommit?(batch.count, duration) }
            for (write, outcome) in zip(batch, outcomes) {
                write.completion(outcome)
            }
        }
    }

    /// After a failed commit, readiness would stay off until the next save commits, and a server taken
    /// out of rotation for it gets no saves: so the writer itself tries an empty write transaction
    /// (BEGIN IMMEDIATE, then ROLLBACK) every `probeInterval` until one succeeds or a commit does.
    private func scheduleProbe() {
        let (seconds, attoseconds) = probeInterval.components
        let delay = DispatchTimeInterval.nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            guard state.withLock({ $0.accepting && $0.lastCommitFailed }) else { return }
            let writable =
                (try? pool.writeWithoutTransaction { db in try db.inTransaction(.immediate) { .rollback } }) != nil
            if writable {
                state.withLock { $0.lastCommitFailed = false }
            } else {
                scheduleProbe()
            }
        }
    }

    /// One transaction for the whole batch; returns each save's outcome in order, and whether the
    /// transaction committed.
    ///
    /// A failing save (a duplicate id) must not cost the others their writes. Each save is a single
    /// statement, and SQLite undoes a failed statement alone while the transaction stays open
    /// (ON CONFLICT ABORT), so no per-save savepoint is needed. Errors that make SQLite roll back
    /// the whole transaction (disk full, I/O) fail the entire batch instead.
    private func commit(_ batch: [PeerWrite]) -> (outcomes: [Result<Void, PeerStoreError>], committed: Bool) {
        do {
            let outcomes = try pool.writeWithoutTransaction { db in
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
            return (outcomes, true)
        } catch {
            let failure = PeerStoreError(error)
            return (batch.map { _ in .failure(failure) }, false)
        }
    }
}
