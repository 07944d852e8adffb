import GRDB

/// Owns the SQLite connection pool of `db_v2.sqlite3`: opening it (WAL, schema, migrations) and
/// every read. Writes go only through `PeerWriter`, which borrows this pool's single writer
/// connection; that keeps one writer per file and lets reads run beside a commit (WAL).
/// `SQLitePeerStore` is its only user; it serves the reads through the `PeerStore` protocol.
public final class PeerDatabase: Sendable {
    /// How hard a commit pushes to disk; see `open`.
    public enum Durability: Sendable {
        /// `synchronous = FULL`: a committed registration survives power loss (reference sqlx default).
        case full
        /// `synchronous = NORMAL`: survives a crash of hbbs, may lose the last commits on power loss.
        case normal
    }

    public let location: DatabaseLocation
    let pool: DatabasePool

    private init(location: DatabaseLocation, pool: DatabasePool) {
        self.location = location
        self.pool = pool
    }

    /// Opens (creating the file if missing) and prepares the database: WAL journal, the
    /// reference `peer` table and indexes if absent, then our migrations (`PeerMigrations`).
    /// A failure is `PeerStoreError.openFailed` naming the path; hbbs treats it as fatal.
    public static func open(
        _ location: DatabaseLocation, durability: Durability = .full, busyTimeoutSeconds: Double = 5
    ) throws(PeerStoreError) -> PeerDatabase {
        try open(
            location, durability: durability, busyTimeoutSeconds: busyTimeoutSeconds,
            migrator: PeerMigrations.migrator)
    }

    /// `open` with the migrations to run; tests pass extra ones.
    static func open(
        _ location: DatabaseLocation, durability: Durability, busyTimeoutSeconds: Double, migrator: DatabaseMigrator
    ) throws(PeerStoreError) -> PeerDatabase {
        let path = location.path
        guard !path.isEmpty, path != ":memory:" else {
            throw .openFailed(path: path, reason: "DB_URL must name a file; in-memory databases are not supported")
        }
        var configuration = Configuration()
        configuration.label = "PeerStore"
        // Another process (an old hbbs, a backup) may hold the lock briefly; wait instead of failing.
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        do {
            // DatabasePool creates the file if needed and switches it to WAL.
            let pool = try DatabasePool(path: path, configuration: configuration)
            try pool.writeWithoutTransaction { db in
                // GRDB picks NORMAL for WAL; the reference runs FULL, and an OK promises durability.
                if durability == .full {
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
                try PeerSchema.create(in: db)
            }
            // After the peer objects, so they keep the reference's root pages.
            try migrator.migrate(pool)
            return PeerDatabase(location: location, pool: pool)
        } catch {
            throw .openFailed(path: path, reason: PeerStoreError(error).description)
        }
    }

    /// The row for `id`, or nil, read on a GRDB reader thread so the caller's thread never waits on disk.
    func peer(id: String) async throws(PeerStoreError) -> PeerRecord? {
        do {
            return try await pool.read { db in try Self.fetchPeer(db, id: id) }
        } catch {
            throw PeerStoreError(error)
        }
    }

    /// Streams every row to `body` from one read transaction (a consistent snapshot), one row
    /// in memory at a time, so loading a million peers does not build an array first.
    /// Malformed rows are skipped and counted. Blocks on disk; meant for startup.
    @discardableResult
    func forEachPeer(_ body: (PeerRecord) throws(PeerStoreError) -> Void) throws(PeerStoreError) -> PeerLoadSummary {
        do {
            return try pool.read { db in
                var summary = PeerLoadSummary()
                let rows = try Row.fetchCursor(db, sql: PeerSchema.selectAll)
                while let row = try rows.next() {
                    // The cursor reuses `row`; PeerRecord copies every value out at once.
                    guard let record = try? PeerRecord(row: row) else {
                        summary.skipped += 1
                        continue
                    }
                    try body(record)
                    summary.loaded += 1
                }
                return summary
            }
        } catch {
            throw PeerStoreError(error)
        }
    }

    /// Number of rows in `peer`, read on a GRDB reader thread.
    func count() async throws(PeerStoreError) -> Int {
        do {
            return try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM peer") ?? 0 }
        } catch {
            throw PeerStoreError(error)
        }
    }

    /// Closes every connection. Call after the writer has shut down; later reads fail with an SQLite error.
    public func close() throws(PeerStoreError) {
        do {
            try pool.close()
        } catch {
            throw PeerStoreError(error)
        }
    }

    private static func fetchPeer(_ db: Database, id: String) throws -> PeerRecord? {
        guard let row = try Row.fetchOne(db, sql: PeerSchema.selectByID, arguments: [id]) else { return nil }
        return try PeerRecord(row: row)
    }
}

/// What `PeerStore.loadAll` delivered: rows handed to the body, and rows skipped as malformed.
public struct PeerLoadSummary: Sendable, Equatable {
    public var loaded: Int
    public var skipped: Int

    public init(loaded: Int = 0, skipped: Int = 0) {
        self.loaded = loaded
        self.skipped = skipped
    }
}
