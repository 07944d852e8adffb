import RendezvousCore
import RustDeskCore

/// The row a registration writes (spec hbbs.md §5.2 step 8), exactly as the registration rules
/// produce it: stores take it as it is instead of five loose parameters.
public typealias PeerSave = RegistrationRules.PeerSave

/// Where hbbs keeps its peers: everything is loaded once at start-up, registrations are saved
/// through a bounded queue, and the console and API read single rows. hbbs depends on this
/// protocol only, so tests can inject a failing or slow store and a PostgreSQL store can sit
/// beside `SQLitePeerStore` later.
public protocol PeerStore: Sendable {
    /// Streams every row to `body` once, one row in memory at a time, and counts malformed rows it
    /// skipped. Blocks on disk: meant for start-up, before anything serves. An error `body` throws
    /// ends the load and is rethrown as it is.
    func loadAll(_ body: (PeerRecord) throws(PeerStoreError) -> Void) throws(PeerStoreError) -> PeerLoadSummary

    /// Queues `peer` (insert by guid, or update id, pk and info of that guid's row; uuid is never
    /// updated) and returns at once. Never throws: `completion` runs exactly once, after the write
    /// has committed (`.success`) or failed. A full queue (`.queueFull`) or a shut-down store
    /// (`.closed`) completes synchronously on the caller's thread, before `save` returns; every
    /// other outcome arrives on the store's own thread, so completions must be short and not block.
    func save(_ peer: PeerSave, completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void)

    /// An ID change (RegisterPk with `old_id`): `save` carries the row's guid and its new ID; the API's
    /// device row (owner, groups, sysinfo) moves from `oldID` with it unless the new ID already has
    /// one. Completes like `save`.
    func changeID(
        _ save: PeerSave, from oldID: String, completion: @escaping @Sendable (Result<Void, PeerStoreError>) -> Void)

    /// Returns once every save submitted before the call has committed or failed and its completion
    /// has run; later saves are still accepted. hbbs stops receiving, flushes, and only then closes
    /// the socket the completions answer on.
    func flush() async

    /// The row whose `id` is `id`, or nil. Read without making the caller's thread wait on disk.
    func peer(id: String) async throws(PeerStoreError) -> PeerRecord?

    /// The number of rows (the console's and API's peer count).
    func peerCount() async throws(PeerStoreError) -> Int

    /// Saves accepted and not yet taken into a commit (the metrics' queue depth gauge).
    var queueDepth: Int { get }

    /// Whether a save submitted now is expected to commit (hbbs's readiness): the store is open, its
    /// queue has room, and its most recent commit did not fail as a whole. A single row that fails
    /// inside a committed batch (a duplicate id) does not count. The next successful commit clears it,
    /// and so does the SQLite store's own write probe, once a second after a failure.
    var acceptsWrites: Bool { get }
}
