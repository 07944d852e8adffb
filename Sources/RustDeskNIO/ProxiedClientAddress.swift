import NIOHTTP1
import RustDeskCore

extension TrustedProxies {
    /// The client address of a WebSocket upgrade `request` that arrived from `peer`: the proxy's
    /// `X-Real-IP` / `X-Forwarded-For` when `peer` is a trusted proxy, otherwise `peer` itself.
    public func clientAddress(peer: SocketAddr, request: HTTPRequestHead) -> SocketAddr {
        clientAddress(
            peer: peer, realIP: request.headers.first(name: "X-Real-IP"),
            forwardedFor: request.headers.first(name: "X-Forwarded-For"))
    }
}
