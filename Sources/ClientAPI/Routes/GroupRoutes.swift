import APICore
import Hummingbird

/// http-api.md §5, the client's group tab (Bearer): the users, devices and device groups the caller
/// may see, paged with `current` / `pageSize` (clamped by `PageRequest`). The client sends GET; the
/// admin scripts' conventions also allow POST, so both are served. Never answers `Admin required!`
/// (the client turns that into an "upgrade your server" message). A store failure is a short 503.
/// `GET /api/users` with an API token is users.py's list instead (admin-api.md §2): the `user` read
/// permission, `name` / `group_name` filters, and the administrator's fields (`AdminUserPayload`).
struct GroupRoutes {
    let groupTab: GroupTabService
    let userAdministration: UserAdministration

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        let administration = AdminUserRoutes(users: userAdministration)
        administration.register(authenticated: router)
        router.get("users") { request, context in try await users(request, context) }
        // users.py creates with a body; a POST without one is the list, as with GET.
        router.post("users") { request, context in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: BodyLimit.json)
            } catch {
                throw APIFailure.tooLarge
            }
            guard body.readableBytesView.contains(where: { $0 > 0x20 }) else {
                return try await users(request, context)
            }
            return try await administration.create(try JSONBody.decode(NewUserBody.self, from: body), context)
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("peers", method: method) { request, context in try await peers(request, context) }
            router.on("device-group/accessible", method: method) { request, context in
                try await deviceGroups(request, context)
            }
        }
    }

    private func users(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        if context.apiToken != nil { return try await administeredUsers(request, context) }
        let caller = try context.caller().user
        // `status=1` asks for enabled accounts only; an unreadable value filters nothing.
        let status = request.uri.queryParameters.get("status").flatMap { Int($0) }.flatMap(UserStatus.init(rawValue:))
        let list: Page<User> = try await groupTab.users(for: caller, status: status, page: Self.page(request))
        return APIResponse.json(PageBody(total: list.total, data: list.items.map(UserPayload.init)))
    }

    private func administeredUsers(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        _ = try context.administrator(.user, .read)
        let query = AdminQuery(request)
        let filter = UserFilter(
            name: query.like("name"), groupName: query.like("group_name"),
            status: query["status"].flatMap { Int($0) }.flatMap(UserStatus.init(rawValue:)))
        let list = try await userAdministration.users(matching: filter, page: query.page)
        return APIResponse.json(PageBody(total: list.total, data: list.items.map(AdminUserPayload.init)))
    }

    private func peers(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.caller().user
        let list: Page<DeviceListing> = try await groupTab.devices(for: caller, page: Self.page(request))
        return APIResponse.json(PageBody(total: list.total, data: list.items.map(PeerPayload.init)))
    }

    private func deviceGroups(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.caller().user
        let list: Page<String> = try await groupTab.deviceGroups(for: caller, page: Self.page(request))
        return APIResponse.json(PageBody(total: list.total, data: list.items.map(DeviceGroupPayload.init)))
    }

    private static func page(_ request: Request) -> PageRequest {
        let query = request.uri.queryParameters
        return PageRequest(current: query.get("current"), pageSize: query.get("pageSize"))
    }
}
