import APICore
import Hummingbird

/// audits.py's reads (admin-api.md §2), behind the `audit` read permission, newest first:
/// `GET /api/audits/conn` (`remote`, `conn_type`), `/file` (`remote`), `/alarm` (`device`) and
/// `/console` (`operator`), each with `created_at` (`YYYY-MM-DD HH:MM:SS[.fff]` UTC: records from
/// then on), `pageSize` and `current`. `remote` is the controlling peer's ID, `device` the
/// controlled device's; both also filter the other lists where they have that column.
struct AdminAuditRoutes {
    let console: ConsoleAuditLog
    let log: any AuditReadStore

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.get("audits/console") { request, context in
            let (query, page) = try Self.query(request, context)
            let filter = ConsoleAuditFilter(
                operatorName: AdminQuery(request).like("operator"), since: query.since)
            let list = try await console.records(matching: filter, page: page)
            return APIResponse.json(PageBody(total: list.total, data: list.items.map(ConsoleRecordPayload.init)))
        }
        router.get("audits/conn") { request, context in
            let (query, page) = try Self.query(request, context)
            let list = try await log.connectionAudits(matching: query, page: page)
            return APIResponse.json(PageBody(total: list.total, data: list.items.map(ConnectionAuditPayload.init)))
        }
        router.get("audits/file") { request, context in
            let (query, page) = try Self.query(request, context)
            let list = try await log.fileAudits(matching: query, page: page)
            return APIResponse.json(PageBody(total: list.total, data: list.items.map(FileAuditPayload.init)))
        }
        router.get("audits/alarm") { request, context in
            let (query, page) = try Self.query(request, context)
            let list = try await log.alarmAudits(matching: query, page: page)
            return APIResponse.json(PageBody(total: list.total, data: list.items.map(AlarmAuditPayload.init)))
        }
    }

    /// The permission check and the filters every list shares.
    private static func query(_ request: Request, _ context: APIRequestContext) throws -> (AuditQuery, PageRequest) {
        _ = try context.administrator(.audit, .read)
        let parameters = AdminQuery(request)
        var query = AuditQuery(remote: parameters.like("remote"), device: parameters.like("device"))
        if let text = parameters["conn_type"], !text.isEmpty {
            guard let type = Int64(text) else { throw APIFailure(.badRequest, "conn_type must be a number") }
            query.connType = type
        }
        if let text = parameters["created_at"], !text.isEmpty {
            guard let since = AuditTimeFilter.unixSeconds(text) else {
                throw APIFailure(.badRequest, "created_at must be YYYY-MM-DD HH:MM:SS (UTC)")
            }
            query.since = since
        }
        return (query, parameters.page)
    }
}
