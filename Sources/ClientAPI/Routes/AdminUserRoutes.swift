import APICore
import Hummingbird

/// users.py's changes (admin-api.md §2), for an administrator's session or a token with `user:rw`:
/// create (`POST /api/users` with a body, which `GroupRoutes` hands here), enable and disable,
/// delete, force-logout, and `disable_login_verification` (`type` `2fa` resets TOTP, `email` lifts
/// the unverified state). Success is 200 with an empty body, as the scripts accept.
struct AdminUserRoutes {
    let users: UserAdministration

    func register(authenticated router: RouterGroup<APIRequestContext>) {
        router.post("users/{guid}/enable") { _, context in try await setEnabled(true, context) }
        router.post("users/{guid}/disable") { _, context in try await setEnabled(false, context) }
        router.delete("users/{guid}") { _, context in
            let caller = try context.administrator(.user, .readWrite)
            let guid = try context.parameters.require("guid")
            try await answering(Self.failure) { () async throws(UserAdministration.Failure) in
                try await users.delete(userGUID: guid, by: caller)
            }
            return APIResponse.empty
        }
        router.post("users/force-logout") { request, context in
            let caller = try context.administrator(.user, .readWrite)
            let body = try await JSONBody.decode(UserGUIDsBody.self, from: request, limit: BodyLimit.json)
            _ = try await answering(Self.failure) { () async throws(UserAdministration.Failure) in
                try await users.forceLogout(userGUIDs: body.userGUIDs, by: caller)
            }
            return APIResponse.empty
        }
        router.put("users/disable_login_verification") { request, context in
            let caller = try context.administrator(.user, .readWrite)
            let body = try await JSONBody.decode(UserGUIDsBody.self, from: request, limit: BodyLimit.json)
            switch body.type {
            case "2fa":
                _ = try await answering(Self.failure) { () async throws(UserAdministration.Failure) in
                    try await users.resetSecondFactor(userGUIDs: body.userGUIDs, by: caller)
                }
            case "email":
                _ = try await answering(Self.failure) { () async throws(UserAdministration.Failure) in
                    try await users.markVerified(userGUIDs: body.userGUIDs, by: caller)
                }
            default: throw APIFailure(.badRequest, "type must be email or 2fa")
            }
            return APIResponse.empty
        }
    }

    /// users.py `new`: `{"name", "password", "group_name", "email"?, "note"?}`.
    func create(_ body: NewUserBody, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.administrator(.user, .readWrite)
        let account = UserAdministration.NewAccount(
            name: body.name, password: body.password, email: body.email, groupName: body.groupName, note: body.note)
        _ = try await answering(Self.failure) { () async throws(UserAdministration.Failure) in
            try await users.create(account, by: caller)
        }
        return APIResponse.empty
    }

    private func setEnabled(_ enabled: Bool, _ context: APIRequestContext) async throws -> Response {
        let caller = try context.administrator(.user, .readWrite)
        let guid = try context.parameters.require("guid")
        try await answering(Self.failure) { () async throws(UserAdministration.Failure) in
            try await users.setEnabled(enabled, userGUID: guid, by: caller)
        }
        return APIResponse.empty
    }

    static func failure(_ failure: UserAdministration.Failure) -> APIFailure {
        switch failure {
        case .invalidName: APIFailure(.badRequest, "Invalid user name")
        case .invalidEmail: APIFailure(.badRequest, "Invalid email")
        case .missingPassword: APIFailure(.badRequest, "Password required")
        case .passwordTooLong: APIFailure(.badRequest, "Password too long")
        case .nameTaken: APIFailure(.conflict, "A user with this name or email exists")
        case .unknownUser: APIFailure(.notFound, "User not found")
        case .lastAdministrator: APIFailure(.conflict, "The last enabled administrator cannot be disabled or deleted")
        case .invalidURL: APIFailure(.badRequest, "url too long or not printable")
        case .store(let error): APIFailure(error)
        }
    }
}

struct NewUserBody: Decodable {
    let name: String
    let password: String
    let groupName: String?
    let email: String
    let note: String

    enum CodingKeys: String, CodingKey {
        case name, password, email, note
        case groupName = "group_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        password = container.lenientString(.password)
        groupName = try? container.decodeIfPresent(String.self, forKey: .groupName)
        email = container.lenientString(.email)
        note = container.lenientString(.note)
    }
}

/// `{"user_guids": […], "type"?}`; a bare array of guids is read too.
struct UserGUIDsBody: Decodable {
    let userGUIDs: [String]
    let type: String

    enum CodingKeys: String, CodingKey {
        case type
        case userGUIDs = "user_guids"
    }

    init(from decoder: any Decoder) throws {
        if let guids = try? decoder.singleValueContainer().decode([String].self) {
            userGUIDs = guids
            type = ""
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userGUIDs = try container.decode([String].self, forKey: .userGUIDs)
        type = container.lenientString(.type)
    }
}
