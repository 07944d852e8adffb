/// Who is acting on an administrative route, and from where: an administrator's session (every
/// area) or an API token (its own areas). Named in logs and written into the console audit.
public struct AdminCaller: Sendable, Equatable, CustomStringConvertible {
    public enum Identity: Sendable, Equatable {
        /// `session` names the session without revealing it: the first bytes of its token's digest, in hex.
        case administrator(User, session: String)
        case token(APIToken)
        /// `rustdesk-utils` on the server's own machine.
        case localTool
    }

    public var identity: Identity
    /// The client's address ("" for the local tool).
    public var ip: String

    public init(_ identity: Identity, ip: String) {
        self.identity = identity
        self.ip = ip
    }

    public static let localTool = AdminCaller(.localTool, ip: "")

    /// The audit's `operator`: the user's or the token's name.
    public var operatorName: String {
        switch identity {
        case .administrator(let user, _): user.name
        case .token(let token): token.name
        case .localTool: "rustdesk-utils"
        }
    }

    public var description: String {
        switch identity {
        case .administrator(let user, _): "user \(user.name)"
        case .token(let token): "token \(token.name)"
        case .localTool: "rustdesk-utils"
        }
    }

    public var permissions: APIPermissions {
        switch identity {
        case .administrator, .localTool: .everything
        case .token(let token): token.permissions
        }
    }
}
