import APICore
import Hummingbird

/// audits.py's reads (admin-api.md §2), behind the `audit` read permission: `GET /api/audits/console`
/// with `operator` (a LIKE filter), `created_at` (`YYYY-MM-DD HH:MM:SS[.fff]` UTC: records from then
/// on), `pageSize` and `current`, newest first.
struct AdminAuditRoutes {
    let console: ConsoleAuditLog

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.get("audits/console") { request, context in
            _ = try context.administrator(.audit, .read)
            let query = request.uri.queryParameters
            var filter = ConsoleAuditFilter(operatorName: LikeFilter(query.get("operator")))
            if let text = query.get("created_at"), !text.isEmpty {
                guard let since = AuditTimeFilter.unixSeconds(text) else {
                    throw APIFailure(.badRequest, "created_at must be YYYY-MM-DD HH:MM:SS (UTC)")
                }
                filter.since = since
            }
            let page = PageRequest(current: query.get("current"), pageSize: query.get("pageSize"))
            let list = try await console.records(matching: filter, page: page)
            return APIResponse.json(PageBody(total: list.total, data: list.items.map(ConsoleRecordPayload.init)))
        }
    }
}

/// A console record as audits.py reads it: `typ`, `iop` and `created_at` (Unix seconds), with who,
/// from where and what.
struct ConsoleRecordPayload: Encodable {
    let guid: String
    let typ: Int
    let iop: Int
    let `operator`: String
    let operatorKind: String
    let credential: String
    let ip: String
    let info: String
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid, typ, iop, `operator`, credential, ip, info
        case operatorKind = "operator_kind"
        case createdAt = "created_at"
    }

    init(_ record: ConsoleRecord) {
        guid = record.guid
        typ = record.typ
        iop = record.iop
        `operator` = record.operatorName
        operatorKind = record.operatorKind
        credential = record.credential
        ip = record.ip
        info = record.info
        createdAt = record.createdAt
    }
}
