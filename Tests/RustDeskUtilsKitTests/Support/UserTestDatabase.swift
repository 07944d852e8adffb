import APICore
import PeerStore
import RustDeskUtilsKit
import TestSupport

/// hbbs's database in a temporary directory, created as hbbs creates it, and the tool run against it
/// with a cheap hasher (the stored hash records its own cost, so hbbs verifies it all the same).
final class UserTestDatabase: Sendable {
    let directory: TemporaryDirectory
    var path: String { directory.file("db_v2.sqlite3") }

    init() async throws {
        directory = try TemporaryDirectory()
        let store = try StandaloneAPIStore(location: DatabaseLocation(path: directory.file("db_v2.sqlite3")))
        await store.close()
    }

    /// `rustdesk-utils user <words> --db <path>`; `input` is what standard input holds.
    func run(_ words: [String], input: String? = nil) async -> (status: Int32, lines: [String]) {
        let recorder = UtilsLineRecorder()
        let tool = RustDeskUtils(
            output: recorder.output, hasher: .fastForTests, readLine: { input }, clock: APIClock { 1_780_000_000 })
        let status = await tool.run(["user"] + words + ["--db", path])
        return (status, recorder.lines)
    }

    /// Reads what the tool wrote, through the store hbbs uses.
    func withStore<T>(_ body: (SQLiteAPIStore) async throws -> T) async throws -> T {
        let opened = try StandaloneAPIStore(location: DatabaseLocation(path: path))
        do {
            let value = try await body(opened.store)
            await opened.close()
            return value
        } catch {
            await opened.close()
            throw error
        }
    }
}
