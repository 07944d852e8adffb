import NIOCore
import NIOHTTP1
import NIOWebSocket
import RustDeskCore

/// The WebSocket port of either server (hbbs PORT+2, hbbr PORT+2; wire.md §2.4): an HTTP upgrade on
/// any path, guarded so a plain request or a broken handshake is answered and counted, then whole binary
/// messages, bounded in frame size, message size and fragment count, as units to the server's handler.
public enum WebSocketPort {
    public struct Limits: Sendable {
        public var maximumFrame: Int
        public var maximumMessage: Int
        /// Fragments per message; with the message limit this bounds what a client can make us hold.
        public var maximumFragments: Int
        /// Text and other non-binary messages become empty units instead of closing (hbbr).
        public var nonBinaryAsEmptyUnits: Bool

        public init(maximumFrame: Int, maximumMessage: Int, maximumFragments: Int, nonBinaryAsEmptyUnits: Bool) {
            self.maximumFrame = maximumFrame
            self.maximumMessage = maximumMessage
            self.maximumFragments = maximumFragments
            self.nonBinaryAsEmptyUnits = nonBinaryAsEmptyUnits
        }
    }

    /// Adds the upgrade to `channel`'s pipeline. At the upgrade, `upgraded` gets the channel and the
    /// client's address (the proxy's X-Real-IP / X-Forwarded-For when the TCP peer is loopback or in
    /// `trustedProxies`, else the peer) and returns the handlers that follow the message adapter.
    public static func configure(
        _ channel: any Channel, limits: Limits, trustedProxies: TrustedProxies,
        onFailedUpgrade: @escaping @Sendable () -> Void,
        upgraded: @escaping @Sendable (_ channel: any Channel, _ client: SocketAddr?) throws -> [any ChannelHandler]
    ) throws {
        let upgradeGuard = WebSocketUpgradeGuard(onFailure: onFailedUpgrade)
        let peer = channel.remoteAddress?.socketAddr
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: limits.maximumFrame,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, request in
                let client = peer.map { trustedProxies.clientAddress(peer: $0, request: request) }
                return channel.eventLoop.makeCompletedFuture {
                    // From here on the guard would see WebSocket frames, not HTTP parts.
                    channel.pipeline.syncOperations.removeHandler(upgradeGuard, promise: nil)
                    try channel.pipeline.syncOperations.addHandlers([
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: limits.maximumFragments,
                            maxAccumulatedFrameSize: limits.maximumMessage),
                        WebSocketMessageAdapter(nonBinaryAsEmptyUnits: limits.nonBinaryAsEmptyUnits),
                    ])
                    try channel.pipeline.syncOperations.addHandlers(try upgraded(channel, client))
                }
            })
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
        try channel.pipeline.syncOperations.addHandler(upgradeGuard)
    }
}
