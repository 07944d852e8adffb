/// The API store opened by a process other than hbbs (`rustdesk-utils user`), possibly while hbbs
/// runs on the same file: its own connection pool (WAL, so hbbs's readers are never blocked; a 5 s
/// busy timeout waits out hbbs's commits) and its own small writer, so its writes, like hbbs's, return
/// only once committed. hbbs reads users and sessions from the database on every login and token
/// check, so it sees these changes without a restart.
public final class StandaloneAPIStore: Sendable {
    public let store: SQLiteAPIStore
    private let database: PeerDatabase
    private let writer: PeerWriter

    /// Opens (and migrates, like hbbs at start) the database at `location`; creates the file if missing,
    /// so callers that must not create one check first.
    public init(location: DatabaseLocation) throws(PeerStoreError) {
        database = try PeerDatabase.open(location)
        // A tool's writes come one at a time.
        writer = PeerWriter(database: database, capacity: 64, onCommit: nil)
        store = SQLiteAPIStore(database: database, writer: writer)
    }

    /// Lets the writer finish, then closes the file.
    public func close() async {
        let database = database
        await writer.shutdown { try? database.close() }
    }
}
