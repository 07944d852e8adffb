/// Who is acting on an administrative route: an administrator's session (every area) or an API
/// token (its own areas). Named in logs and, later, in the console audit.
public enum AdminCaller: Sendable, Equatable, CustomStringConvertible {
    case administrator(User)
    case token(APIToken)

    public var description: String {
        switch self {
        case .administrator(let user): "user \(user.name)"
        case .token(let token): "token \(token.name)"
        }
    }

    public var permissions: APIPermissions {
        switch self {
        case .administrator: .everything
        case .token(let token): token.permissions
        }
    }
}
