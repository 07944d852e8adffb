import APICore
import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The API server's store on `db_v2.sqlite3`: reads on the pool's reader connections, writes through
/// the peer store's one writer, so API writes share the registrations' group commit and a write
/// returns only once committed. Extensions per area (accounts, devices, books, audit) implement the
/// APICore store protocols. Made by `SQLitePeerStore.apiStore`; `rustdesk-utils` opens its own.
public final class SQLiteAPIStore: Sendable {
    let database: PeerDatabase
    let writer: PeerWriter

    init(database: PeerDatabase, writer: PeerWriter) {
        self.database = database
        self.writer = writer
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(APIStoreError) -> T {
        do {
            return try await database.pool.read(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// A body may throw an `APIStoreError` (`.notFound`, `.conflict`) to undo its statements; the caller
    /// then gets that error as it is, not the writer's generic failure. `guarded: false`: see
    /// `PeerWrite.Operation.unguarded`.
    func write<T: Sendable>(guarded: Bool = true, _ body: @escaping @Sendable (Database) throws -> T)
        async throws(APIStoreError) -> T
    {
        let outcome: Result<T, APIStoreError> = await withCheckedContinuation { continuation in
            write(guarded: guarded, body) { continuation.resume(returning: $0) }
        }
        return try outcome.get()
    }

    /// `write` with a completion, which runs on the writer's queue after the commit (for callers on an
    /// event loop; see `PeerWriter.perform(guarded:_:completion:)`).
    func write<T: Sendable>(
        guarded: Bool = true, _ body: @escaping @Sendable (Database) throws -> T,
        completion: @escaping @Sendable (Result<T, APIStoreError>) -> Void
    ) {
        let refusal = HandOff<APIStoreError>()
        writer.perform(
            guarded: guarded,
            { db in
                do {
                    return try body(db)
                } catch let error as APIStoreError {
                    refusal.value = error
                    throw error
                }
            },
            completion: { outcome in completion(outcome.mapError { refusal.value ?? Self.storeError($0) }) })
    }

    static func storeError(_ error: any Error) -> APIStoreError {
        if let apiError = error as? APIStoreError { return apiError }
        let storeError = PeerStoreError(error)
        if storeError.isUniqueViolation { return .conflict }
        return .unavailable(reason: storeError.description)
    }

    static func newGUID() -> String { UUID().uuidString.lowercased() }
}
