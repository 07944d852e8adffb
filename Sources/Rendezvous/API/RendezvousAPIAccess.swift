import APICore
import ClientAPI
import NIOCore
import Synchronization

/// What hbbs's PORT connections use of the client API (nil in `RendezvousServices` when API_PORT is
/// `off`): the proxy door for HttpProxyRequest, the token check for HealthCheck, and the connection
/// policy for PunchHoleRequest and RequestRelay. Plain values in
/// and out, so the rendezvous handlers never see HTTP types.
public struct RendezvousAPIAccess: Sendable {
    /// The client sends one HealthCheck per connection, so revocation (logout, a password change, a
    /// disabled account, expiry) is noticed by checking the token again this often: one indexed read
    /// per open health-check connection per interval.
    public static let defaultHealthCheckRecheck: TimeAmount = .seconds(30)

    public let proxy: APIProxy
    public let accounts: AccountService
    public let policy: ConnectionPolicy
    public let healthCheckRecheck: TimeAmount

    public init(
        proxy: APIProxy, accounts: AccountService, policy: ConnectionPolicy,
        healthCheckRecheck: TimeAmount = defaultHealthCheckRecheck
    ) {
        self.proxy = proxy
        self.accounts = accounts
        self.policy = policy
        self.healthCheckRecheck = healthCheckRecheck
    }

    /// Whether `token` names a live session of an enabled user.
    func check(token: String) async -> TokenVerdict {
        do {
            return try await accounts.authenticate(token: token) == nil ? .invalid : .valid
        } catch {
            return .unavailable
        }
    }
}

/// A token check's outcome as the health-check path acts on it.
enum TokenVerdict: Sendable {
    case valid, invalid
    /// The store could not answer; a connection already accepted is kept.
    case unavailable
}

/// How many health-check connections are open (the `hbbs_health_check_connections` gauge).
public final class OpenHealthChecks: Sendable {
    private let open = Atomic<Int>(0)

    public init() {}

    public var count: Int { open.load(ordering: .relaxed) }

    func opened() { open.add(1, ordering: .relaxed) }
    func closed() { open.subtract(1, ordering: .relaxed) }
}
