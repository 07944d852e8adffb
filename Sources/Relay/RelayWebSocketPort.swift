import NIOCore
import NIOHTTP1
import NIOWebSocket
import RelayCore
import RustDeskCore
import RustDeskNIO

/// The pipeline of a connection on the WebSocket relay port PORT+2 (hbbr.md §1, §4): the blocklist on
/// the TCP peer at accept, an HTTP upgrade on any path within `webSocketHandshakeTimeout`, then
/// whole binary messages (bounded by the frame and message limits) as units into a
/// `RelayHandshakeHandler`. No console here. Used by `RelayServer` for every accepted connection.
enum RelayWebSocketPort {
    /// Fragments per message; with the message limit this bounds what a client can make us hold.
    static let maximumFragments = 4096

    static func configure(_ channel: any Channel, services: RelayServices) throws {
        let settings = services.settings
        let peer = channel.remoteAddress?.socketAddr
        if let ip = peer?.ip.normalized, services.controls.blocklist.contains(ip.description) {
            services.logger.debug("relay connection blocked", metadata: ["conn.remote": "\(ip)"])
            services.metrics.connectionsClosed.count(.blocked)
            channel.close(promise: nil)
            return
        }
        let reasons = services.metrics.connectionsClosed
        let handshakeTimeout = services.clock.schedule(on: channel.eventLoop, in: settings.webSocketHandshakeTimeout) {
            reasons.count(.timeout)
            channel.close(promise: nil)
        }
        let upgradeGuard = WebSocketUpgradeGuard { reasons.count(.failedUpgrade) }
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: settings.maximumWebSocketFrame,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, request in
                handshakeTimeout.cancel()
                // From here on the guard would see WebSocket frames, not HTTP parts.
                channel.pipeline.syncOperations.removeHandler(upgradeGuard, promise: nil)
                let client = clientAddress(peer: peer, request: request, trusted: settings.trustedProxies)
                return channel.eventLoop.makeCompletedFuture {
                    // From here the relay handlers ask for each read (backpressure, parking).
                    try channel.syncOptions?.setOption(.autoRead, value: false)
                    try channel.pipeline.syncOperations.addHandlers([
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: maximumFragments,
                            maxAccumulatedFrameSize: settings.maximumWebSocketMessage),
                        WebSocketMessageAdapter(nonBinaryAsEmptyUnits: true),
                        RelayHandshakeHandler(services: services, webSocketClient: client),
                    ])
                }
            })
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
        try channel.pipeline.syncOperations.addHandler(upgradeGuard)
    }

    /// The address a WebSocket client is known by (usage key, relay-time list checks): the proxy's
    /// X-Real-IP / X-Forwarded-For when the TCP peer is loopback or in TRUSTED_PROXIES (the reference
    /// believes anyone, wire.md §2.4), else the TCP peer. The accept-time blocklist check used the peer.
    static func clientAddress(peer: SocketAddr?, request: HTTPRequestHead, trusted: TrustedProxies) -> SocketAddr? {
        peer.map { trusted.clientAddress(peer: $0, request: request) }
    }
}
