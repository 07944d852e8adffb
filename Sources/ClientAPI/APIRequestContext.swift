import APICore
import Hummingbird
import NIOCore
import RustDeskCore
import RustDeskNIO

/// What a route knows about its request beyond the HTTP message: the client's address and, once the
/// authentication middleware ran, who is calling. Built the same way for the HTTP listener and for an
/// `HttpProxyRequest` over the rendezvous port (the channel is then that TCP connection).
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP connection the request came on.
    public let channel: any Channel
    /// Set by `AuthenticationMiddleware` on user-scoped routes when the bearer is a session.
    public var authenticated: Authenticated?
    /// Set by `AuthenticationMiddleware` when the bearer is an API token.
    public var apiToken: APIToken?
    /// The client's address (IPv4-mapped addresses shown as IPv4): the connection's peer, or what a
    /// trusted reverse proxy says (`ClientAddressMiddleware`). Throttling, logs and audit records use it.
    public var remoteIP: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
        remoteIP = source.channel.remoteAddress?.socketAddr.map { "\($0.ip.normalized)" } ?? ""
    }

    /// Decoding limits are per route (`BodyLimitMiddleware`); this bounds Hummingbird's own decoder too.
    public var maxUploadSize: Int { BodyLimit.json }

    /// The authenticated caller; only routes behind `AuthenticationMiddleware` call this. An API token
    /// is not a user: routes that act for one refuse it.
    func caller() throws -> Authenticated {
        if apiToken != nil { throw APIFailure.needsUserSession }
        guard let authenticated else { throw APIFailure.invalidToken }
        return authenticated
    }

    /// The caller of an administrative route, if it may use `area` at `level`: an administrator's
    /// session, or an API token with that permission. 403 for anyone else.
    func administrator(_ area: APIPermissions.Area, _ level: APIPermissions.Level) throws -> AdminCaller {
        let caller: AdminCaller
        if let apiToken {
            caller = AdminCaller(.token(apiToken), ip: remoteIP)
        } else if let authenticated, authenticated.user.isAdmin {
            let session = Hex.encode(Array(authenticated.session.tokenDigest.prefix(6)))
            caller = AdminCaller(.administrator(authenticated.user, session: session), ip: remoteIP)
        } else if authenticated != nil {
            throw APIFailure.adminRequired
        } else {
            throw APIFailure.invalidToken
        }
        guard caller.permissions.allows(area, level) else { throw APIFailure.outsidePermissions(area, level) }
        return caller
    }
}
