import Logging

/// Writes the console audit: every administrative change (admin API, API tokens, `rustdesk-utils
/// api-token`) is recorded after it committed and before it is answered. The record is a second
/// commit: if it fails, the change stands and the record goes to the log at error level instead,
/// in full, so it is never lost silently.
public struct ConsoleAuditLog: Sendable {
    public let store: any ConsoleAuditStore
    private let clock: APIClock
    /// Awaited after each record: hbbs's connection policy reloads, so an administrator's change
    /// binds the next rendezvous request.
    private let changed: @Sendable () async -> Void
    private let logger: Logger

    public init(
        store: any ConsoleAuditStore, clock: APIClock = .system, changed: @escaping @Sendable () async -> Void = {},
        logger: Logger
    ) {
        self.store = store
        self.clock = clock
        self.changed = changed
        self.logger = logger
    }

    public func record(_ action: ConsoleAction, by caller: AdminCaller, _ info: KeyValuePairs<String, String>) async {
        await record(action, by: caller, pairs: info.map { ($0.key, $0.value) })
    }

    public func record(_ action: ConsoleAction, by caller: AdminCaller, pairs info: [(String, String)]) async {
        let record = ConsoleRecord(action, by: caller, pairs: info, at: clock.now())
        await changed()
        do throws(APIStoreError) {
            try await store.insertConsoleRecord(record)
        } catch {
            logger.error(
                "console audit record not stored",
                metadata: [
                    "typ": "\(record.typ)", "iop": "\(record.iop)", "operator": "\(record.operatorName)",
                    "ip": "\(record.ip)", "info": "\(record.info)", "error": "\(error)",
                ])
        }
    }

    public func records(matching filter: ConsoleAuditFilter, page: PageRequest) async throws(APIStoreError)
        -> Page<ConsoleRecord>
    {
        try await store.consoleRecords(matching: filter, page: page)
    }
}
