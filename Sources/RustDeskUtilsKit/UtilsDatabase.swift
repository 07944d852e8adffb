import APICore
import PeerStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// hbbs's database as `rustdesk-utils user` and `api-token` open it: never created here, opened
/// beside a running hbbs (`StandaloneAPIStore`), closed after one command.
enum UtilsDatabase {
    /// Opens the database at `path` (default `./db_v2.sqlite3`), runs `body`, closes it; store
    /// errors become messages.
    static func withStore<T>(
        path: String?, _ body: (SQLiteAPIStore) async throws(APIStoreError) -> T,
        onConflict: () -> UserCommandError, onNotFound: () -> UserCommandError
    ) async throws(UserCommandError) -> T {
        let location = DatabaseLocation(dbURL: path)
        guard FileManager.default.fileExists(atPath: location.path) else { throw .noDatabase(path: location.path) }
        let opened: StandaloneAPIStore
        do {
            opened = try StandaloneAPIStore(location: location)
        } catch {
            throw .database(error.description)
        }
        let result: Result<T, APIStoreError>
        do throws(APIStoreError) {
            result = .success(try await body(opened.store))
        } catch {
            result = .failure(error)
        }
        await opened.close()
        switch result {
        case .success(let value): return value
        case .failure(.conflict): throw onConflict()
        case .failure(.notFound): throw onNotFound()
        case .failure(.unavailable(let reason)): throw .database(reason)
        }
    }
}
