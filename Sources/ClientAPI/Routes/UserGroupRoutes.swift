import APICore
import Hummingbird

/// user-groups.py's routes (admin-api.md §2), behind the `user_group` permission: `GET
/// /api/user-groups` (`name` filter, paged), `POST` to create, `PATCH /{guid}` to change any of name,
/// note and rules, `DELETE /{guid}`, and `POST /{guid}` with a JSON array of user guids to add members.
/// Changes answer 200 with an empty body.
struct UserGroupRoutes {
    let groups: UserGroupAdministration

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.get("user-groups") { request, context in
            _ = try context.administrator(.userGroup, .read)
            let query = AdminQuery(request)
            let list = try await groups.groups(named: query.like("name"), page: query.page)
            return APIResponse.json(PageBody(total: list.total, data: list.items.map(UserGroupPayload.init)))
        }
        router.post("user-groups") { request, context in
            let caller = try context.administrator(.userGroup, .readWrite)
            let body = try await JSONBody.decode(UserGroupBody.self, from: request, limit: BodyLimit.json)
            guard let name = body.name else { throw APIFailure(.badRequest, "name required") }
            let rules = AccessRules(incoming: body.incoming ?? [], outgoing: body.outgoing ?? [])
            try await answering(Self.failure) { () async throws(UserGroupAdministration.Failure) in
                _ = try await groups.create(name: name, note: body.note ?? "", rules: rules, by: caller)
            }
            return APIResponse.empty
        }
        router.patch("user-groups/{guid}") { request, context in
            let caller = try context.administrator(.userGroup, .readWrite)
            let guid = try context.parameters.require("guid")
            let body = try await JSONBody.decode(UserGroupBody.self, from: request, limit: BodyLimit.json)
            let change = UserGroupChange(
                name: body.name, note: body.note, incoming: body.incoming, outgoing: body.outgoing)
            try await answering(Self.failure) { () async throws(UserGroupAdministration.Failure) in
                _ = try await groups.update(guid: guid, change, by: caller)
            }
            return APIResponse.empty
        }
        router.delete("user-groups/{guid}") { _, context in
            let caller = try context.administrator(.userGroup, .readWrite)
            let guid = try context.parameters.require("guid")
            try await answering(Self.failure) { () async throws(UserGroupAdministration.Failure) in
                try await groups.delete(guid: guid, by: caller)
            }
            return APIResponse.empty
        }
        router.post("user-groups/{guid}") { request, context in
            let caller = try context.administrator(.userGroup, .readWrite)
            let guid = try context.parameters.require("guid")
            let users = try await JSONBody.decode([String].self, from: request, limit: BodyLimit.json)
            try await answering(Self.failure) { () async throws(UserGroupAdministration.Failure) in
                _ = try await groups.addUsers(users, to: guid, by: caller)
            }
            return APIResponse.empty
        }
    }

    static func failure(_ failure: UserGroupAdministration.Failure) -> APIFailure {
        switch failure {
        case .invalidName: APIFailure(.badRequest, "Invalid group name")
        case .nameTaken: APIFailure(.conflict, "A user group with this name exists")
        case .unknownGroup: APIFailure(.notFound, "User group not found")
        case .unknownRuleTarget: APIFailure(.badRequest, "A rule names a group or user that does not exist")
        case .invalidRuleKind:
            APIFailure(
                .badRequest, "allowed_incomings take types 0 and 2, allowed_outgoings types 0 and 1")
        case .defaultGroupIsFixed: APIFailure(.conflict, "The Default group cannot be renamed or deleted")
        case .store(let error): APIFailure(error)
        }
    }
}

/// `{"name"?, "note"?, "allowed_incomings"?, "allowed_outgoings"?}`; absent keys change nothing.
struct UserGroupBody: Decodable {
    let name: String?
    let note: String?
    let incoming: [AccessRule]?
    let outgoing: [AccessRule]?

    enum CodingKeys: String, CodingKey {
        case name, note
        case incoming = "allowed_incomings"
        case outgoing = "allowed_outgoings"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        incoming = try container.decodeIfPresent([RuleBody].self, forKey: .incoming)?.map(\.rule)
        outgoing = try container.decodeIfPresent([RuleBody].self, forKey: .outgoing)?.map(\.rule)
    }

    struct RuleBody: Decodable {
        let rule: AccessRule

        enum CodingKeys: String, CodingKey { case type, name }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(Int.self, forKey: .type)
            guard let kind = AccessRule.Kind(rawValue: type) else {
                throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "rule type")
            }
            rule = AccessRule(kind: kind, name: try container.decode(String.self, forKey: .name))
        }
    }
}

struct UserGroupPayload: Encodable {
    struct Rule: Encodable {
        let type: Int
        let name: String
    }

    let guid: String
    let name: String
    let note: String
    let allowedIncomings: [Rule]
    let allowedOutgoings: [Rule]
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid, name, note
        case allowedIncomings = "allowed_incomings"
        case allowedOutgoings = "allowed_outgoings"
        case createdAt = "created_at"
    }

    init(_ listing: UserGroupListing) {
        guid = listing.group.guid
        name = listing.group.name
        note = listing.group.note
        allowedIncomings = listing.rules.incoming.map { Rule(type: $0.kind.rawValue, name: $0.name) }
        allowedOutgoings = listing.rules.outgoing.map { Rule(type: $0.kind.rawValue, name: $0.name) }
        createdAt = listing.createdAt
    }
}
