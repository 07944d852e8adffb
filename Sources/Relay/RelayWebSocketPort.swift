import NIOCore
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
        let limits = WebSocketPort.Limits(
            maximumFrame: settings.maximumWebSocketFrame, maximumMessage: settings.maximumWebSocketMessage,
            maximumFragments: maximumFragments, nonBinaryAsEmptyUnits: true)
        try WebSocketPort.configure(
            channel, limits: limits, trustedProxies: settings.trustedProxies,
            onFailedUpgrade: { reasons.count(.failedUpgrade) },
            upgraded: { channel, client in
                handshakeTimeout.cancel()
                // From here the relay handlers ask for each read (backpressure, parking).
                try channel.syncOptions?.setOption(.autoRead, value: false)
                return [RelayHandshakeHandler(services: services, webSocketClient: client)]
            })
    }
}
