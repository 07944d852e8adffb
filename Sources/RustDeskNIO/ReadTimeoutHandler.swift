import NIOCore
import RustDeskCore

/// Closes a connection that reads nothing for `timeout`: the servers' "30 s between units" rule and
/// the limit on slow handshakes. Measured on the server's `ServerClock` (instead of NIO's
/// `IdleStateHandler`, which only knows the wall clock), so tests move time on rather than wait.
///
/// One timer per connection: it is set for the whole timeout and, when it fires after a read, set
/// again for what is left, so a busy connection costs a clock read per socket read and no timer work.
public final class ReadTimeoutHandler: ChannelInboundHandler {
    public typealias InboundIn = NIOAny

    private let clock: ServerClock
    private let timeout: TimeAmount
    private let onTimeout: @Sendable () -> Void
    private var lastRead: Milliseconds = 0
    private var timer: ServerTimer?

    public init(clock: ServerClock, timeout: TimeAmount, onTimeout: @escaping @Sendable () -> Void = {}) {
        self.clock = clock
        self.timeout = timeout
        self.onTimeout = onTimeout
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    public func channelActive(context: ChannelHandlerContext) {
        if timer == nil { start(context) }
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = clock.now()
        context.fireChannelRead(data)
    }

    private func start(_ context: ChannelHandlerContext) {
        lastRead = clock.now()
        arm(in: Self.milliseconds(timeout), context)
    }

    private func arm(in delay: Milliseconds, _ context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = clock.schedule(on: context.eventLoop, in: .milliseconds(delay)) {
            let (handler, context) = loopBound.value
            handler.expire(context)
        }
    }

    private func expire(_ context: ChannelHandlerContext) {
        guard timer != nil else { return }
        let limit = Self.milliseconds(timeout)
        let quiet = clock.now() - lastRead
        guard quiet >= limit else { return arm(in: limit - quiet, context) }
        timer = nil
        onTimeout()
        context.close(promise: nil)
    }

    private func stop() {
        timer?.cancel()
        timer = nil
    }

    static func milliseconds(_ amount: TimeAmount) -> Milliseconds {
        max(1, Milliseconds((amount.nanoseconds + 999_999) / 1_000_000))
    }
}
