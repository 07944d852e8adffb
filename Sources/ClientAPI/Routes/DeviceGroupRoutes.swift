import APICore
import Hummingbird

/// device-groups.py's routes (admin-api.md §2), behind the `device_group` permission: `GET
/// /api/device-groups` (`name` filter, paged), `POST` to create, `PATCH /{guid}` (name, note,
/// `allowed_incomings`), `DELETE /{guid}`, `POST /{guid}` with a JSON array of device IDs to add them
/// and `DELETE /{guid}/devices` with one to take them out. Changes answer 200 with an empty body.
struct DeviceGroupRoutes {
    let groups: DeviceGroupAdministration

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.get("device-groups") { request, context in
            _ = try context.administrator(.deviceGroup, .read)
            let query = AdminQuery(request)
            let list = try await groups.groups(named: query.like("name"), page: query.page)
            return APIResponse.json(PageBody(total: list.total, data: list.items.map(AdminDeviceGroupPayload.init)))
        }
        router.post("device-groups") { request, context in
            let caller = try context.administrator(.deviceGroup, .readWrite)
            let body = try await JSONBody.decode(UserGroupBody.self, from: request, limit: BodyLimit.json)
            guard let name = body.name else { throw APIFailure(.badRequest, "name required") }
            try await answering(Self.failure) { () async throws(DeviceGroupAdministration.Failure) in
                _ = try await groups.create(
                    name: name, note: body.note ?? "", incoming: body.incoming ?? [], by: caller)
            }
            return APIResponse.empty
        }
        router.patch("device-groups/{guid}") { request, context in
            let caller = try context.administrator(.deviceGroup, .readWrite)
            let guid = try context.parameters.require("guid")
            let body = try await JSONBody.decode(UserGroupBody.self, from: request, limit: BodyLimit.json)
            try await answering(Self.failure) { () async throws(DeviceGroupAdministration.Failure) in
                _ = try await groups.update(
                    guid: guid, name: body.name, note: body.note, incoming: body.incoming, by: caller)
            }
            return APIResponse.empty
        }
        router.delete("device-groups/{guid}") { _, context in
            let caller = try context.administrator(.deviceGroup, .readWrite)
            let guid = try context.parameters.require("guid")
            try await answering(Self.failure) { () async throws(DeviceGroupAdministration.Failure) in
                try await groups.delete(guid: guid, by: caller)
            }
            return APIResponse.empty
        }
        router.post("device-groups/{guid}") { request, context in try await membership(adding: true, request, context) }
        router.delete("device-groups/{guid}/devices") { request, context in
            try await membership(adding: false, request, context)
        }
    }

    private func membership(adding: Bool, _ request: Request, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.administrator(.deviceGroup, .readWrite)
        let guid = try context.parameters.require("guid")
        let ids = try await JSONBody.decode([String].self, from: request, limit: BodyLimit.json)
        try await answering(Self.failure) { () async throws(DeviceGroupAdministration.Failure) in
            try await groups.setMembership(ids, adding: adding, guid: guid, by: caller)
        }
        return APIResponse.empty
    }

    static func failure(_ failure: DeviceGroupAdministration.Failure) -> APIFailure {
        switch failure {
        case .invalidName: APIFailure(.badRequest, "Invalid group name")
        case .nameTaken: APIFailure(.conflict, "A device group with this name exists")
        case .unknownGroup: APIFailure(.notFound, "Device group not found")
        case .unknownRuleTarget: APIFailure(.badRequest, "A rule names a group or user that does not exist")
        case .invalidRuleKind: APIFailure(.badRequest, "allowed_incomings take types 0 and 2")
        case .unknownDevice(let id): APIFailure(.notFound, "Device \(id) not found")
        case .store(let error): APIFailure(error)
        }
    }
}

/// A device group in device-groups.py's list (the group tab has its own, name-only `DeviceGroupPayload`).
struct AdminDeviceGroupPayload: Encodable {
    let guid: String
    let name: String
    let note: String
    let allowedIncomings: [UserGroupPayload.Rule]
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid, name, note
        case allowedIncomings = "allowed_incomings"
        case createdAt = "created_at"
    }

    init(_ listing: DeviceGroupListing) {
        guid = listing.group.guid
        name = listing.group.name
        note = listing.group.note
        allowedIncomings = listing.incoming.map { UserGroupPayload.Rule(type: $0.kind.rawValue, name: $0.name) }
        createdAt = listing.createdAt
    }
}
