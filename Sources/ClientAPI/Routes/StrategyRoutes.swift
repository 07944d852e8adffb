import APICore
import Hummingbird

/// strategies.py's routes (admin-api.md §2): `GET /api/strategies` (a bare array, not paged), `GET
/// /api/strategies/{guid}`, `PUT /api/strategies/{guid}/status` with the JSON literal `true` or
/// `false`, and `POST /api/strategies/assign`. Reading needs `strategy:r`, changing `strategy:rw`;
/// an assignment also needs read on every area its body names (`device` for `peers`, `user` for
/// `users`, `device_group` for `groups`), so no token reaches another area through it.
struct StrategyRoutes {
    let strategies: StrategyAdministration

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.get("strategies") { _, context in
            _ = try context.administrator(.strategy, .read)
            return APIResponse.json(try await strategies.strategies().map(StrategyPayload.init))
        }
        router.get("strategies/{guid}") { _, context in
            _ = try context.administrator(.strategy, .read)
            let guid = try context.parameters.require("guid")
            let strategy = try await answering(Self.failure) { () async throws(StrategyAdministration.Failure) in
                try await strategies.strategy(guid: guid)
            }
            return APIResponse.json(StrategyPayload(strategy))
        }
        router.put("strategies/{guid}/status") { request, context in
            let caller = try context.administrator(.strategy, .readWrite)
            let guid = try context.parameters.require("guid")
            let enabled = try await JSONBody.decode(Bool.self, from: request, limit: BodyLimit.json)
            try await answering(Self.failure) { () async throws(StrategyAdministration.Failure) in
                try await strategies.setEnabled(enabled, guid: guid, by: caller)
            }
            return APIResponse.empty
        }
        router.post("strategies/assign") { request, context in
            let caller = try context.administrator(.strategy, .readWrite)
            let body = try await JSONBody.decode(StrategyAssignBody.self, from: request, limit: BodyLimit.json)
            if !body.peers.isEmpty { _ = try context.administrator(.device, .read) }
            if !body.users.isEmpty { _ = try context.administrator(.user, .read) }
            if !body.groups.isEmpty { _ = try context.administrator(.deviceGroup, .read) }
            let assignment = StrategyAdministration.Assignment(
                strategyGUID: body.strategy, deviceGUIDs: body.peers, userGUIDs: body.users,
                deviceGroupGUIDs: body.groups)
            try await answering(Self.failure) { () async throws(StrategyAdministration.Failure) in
                try await strategies.assign(assignment, by: caller)
            }
            return APIResponse.empty
        }
    }

    static func failure(_ failure: StrategyAdministration.Failure) -> APIFailure {
        switch failure {
        case .unknownStrategy: APIFailure(.notFound, "Strategy not found")
        case .unknownTarget(let kind, let guid): APIFailure(.notFound, "No \(kind) with guid \(guid)")
        case .store(let error): APIFailure(error)
        }
    }
}

/// `{"strategy"?: guid, "peers"?: [device guids], "users"?: [user guids], "groups"?: [device-group guids]}`.
struct StrategyAssignBody: Decodable {
    let strategy: String?
    let peers: [String]
    let users: [String]
    let groups: [String]

    enum CodingKeys: String, CodingKey { case strategy, peers, users, groups }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        strategy = try container.decodeIfPresent(String.self, forKey: .strategy).flatMap { $0.isEmpty ? nil : $0 }
        peers = try container.decodeIfPresent([String].self, forKey: .peers) ?? []
        users = try container.decodeIfPresent([String].self, forKey: .users) ?? []
        groups = try container.decodeIfPresent([String].self, forKey: .groups) ?? []
    }
}

/// A strategy as strategies.py prints it: `guid` and `name` (which it reads), its state and options.
struct StrategyPayload: Encodable {
    let guid: String
    let name: String
    let enabled: Bool
    let status: Int
    let options: [String: String]
    let extra: [String: String]
    let modifiedAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid, name, enabled, status, options, extra
        case modifiedAt = "modified_at"
    }

    init(_ strategy: Strategy) {
        guid = strategy.guid
        name = strategy.name
        enabled = strategy.enabled
        status = strategy.enabled ? 1 : 0
        options = strategy.options
        extra = strategy.extra
        modifiedAt = strategy.modifiedAt
    }
}
