import APICore
import Hummingbird
import NIOCore

/// What a route knows about its request beyond the HTTP message: the client's address and, once the
/// authentication middleware ran, who is calling. Built the same way for the HTTP listener and for an
/// `HttpProxyRequest` over the rendezvous port (the channel is then that TCP connection).
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP connection the request came on.
    public let channel: any Channel
    /// Set by `AuthenticationMiddleware` on user-scoped routes.
    public var authenticated: Authenticated?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// Decoding limits are per route (`BodyLimitMiddleware`); this bounds Hummingbird's own decoder too.
    public var maxUploadSize: Int { BodyLimit.json }

    /// The connection's peer address as text (without port), for throttling, logs and audit records.
    public var remoteIP: String {
        guard let address = channel.remoteAddress else { return "" }
        return address.ipAddress ?? "\(address)"
    }

    /// The authenticated caller; only routes behind `AuthenticationMiddleware` call this.
    func caller() throws -> Authenticated {
        guard let authenticated else { throw APIFailure.invalidToken }
        return authenticated
    }
}
