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

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(APIStoreError) -> T {
        do {
            return try await writer.perform(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    static func storeError(_ error: any Error) -> APIStoreError {
        if let apiError = error as? APIStoreError { return apiError }
        let storeError = PeerStoreError(error)
        if storeError.isUniqueViolation { return .conflict }
        return .unavailable(reason: storeError.description)
    }

    static func newGUID() -> String { UUID().uuidString.lowercased() }
}
