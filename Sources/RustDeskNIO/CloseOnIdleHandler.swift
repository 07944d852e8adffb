import NIOCore

/// Closes the connection when an `IdleStateHandler` before it reports that nothing was read for its
/// timeout: the servers' "30 s between units" rule, and the limit on slow handshakes.
public final class CloseOnIdleHandler: ChannelInboundHandler, Sendable {
    public typealias InboundIn = NIOAny

    private let onIdle: @Sendable () -> Void

    public init(onIdle: @escaping @Sendable () -> Void = {}) {
        self.onIdle = onIdle
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            onIdle()
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
