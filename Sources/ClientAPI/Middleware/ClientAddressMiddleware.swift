import Hummingbird
import RustDeskCore
import RustDeskNIO

/// Behind a reverse proxy (https on 443, docs/operations.md) every request arrives from the proxy:
/// when the peer is a trusted proxy (loopback or TRUSTED_PROXIES), the client is the one named by
/// `X-Real-IP` or the last `X-Forwarded-For` entry, so per-IP login throttling and audit addresses
/// stay per client. Anyone else's headers are ignored.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let trustedProxies: TrustedProxies

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let peer = context.channel.remoteAddress?.socketAddr, trustedProxies.trusts(peer.ip) else {
            return try await next(request, context)
        }
        let client = trustedProxies.clientAddress(
            peer: peer, realIP: Self.header("x-real-ip", in: request),
            forwardedFor: Self.header("x-forwarded-for", in: request))
        var context = context
        context.remoteIP = "\(client.ip.normalized)"
        return try await next(request, context)
    }

    private static func header(_ lowercasedName: String, in request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == lowercasedName }?.value
    }
}
