import Logging

/// Writes the console audit: every administrative change (admin API, API tokens, `rustdesk-utils
/// api-token`) is recorded after it committed and before it is answered. The record is a second
/// commit: if it fails, the change stands and the record goes to the log at error level instead,
/// in full, so it is never lost silently.
public struct ConsoleAuditLog: Sendable {
    public let store: any ConsoleAuditStore
    private let clock: APIClock
    private let logger: Logger

    public init(store: any ConsoleAuditStore, clock: APIClock = .system, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    public func record(_ action: ConsoleAction, by caller: AdminCaller, _ info: KeyValuePairs<String, String>) async {
        await record(action, by: caller, pairs: info.map { ($0.key, $0.value) })
    }

    public func record(_ action: ConsoleAction, by caller: AdminCaller, pairs info: [(String, String)]) async {
        let record = ConsoleRecord(action, by: caller, pairs: info, at: clock.now())
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
