import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow, where the idle timeout alone would not: a client
/// that trickles a byte now and then never goes idle. The next request's head must be complete
/// within `headTimeout` of the previous request's end (or of the connection opening), and its body
/// within `bodyTimeout` of its head. Sits behind the HTTP decoder, so it sees whole heads.
///
/// Each request moves the deadline twice, so it is a time, checked by one timer per connection that
/// fires only when the time it was set for comes: scheduling and cancelling a task per request part
/// was a visible cost on the heartbeat path.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let headTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private var deadline = NIODeadline.distantFuture
    /// The timer, and the time it fires.
    private var timer: (task: Scheduled<Void>, at: NIODeadline)?

    init(headTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(headTimeout, context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(headTimeout, context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(bodyTimeout, context)
        case .end: arm(headTimeout, context)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    private func stop() {
        timer?.task.cancel()
        timer = nil
    }

    /// Moves the deadline. A timer that fires after it is replaced; one that fires before it finds
    /// the new deadline then and waits on.
    private func arm(_ timeout: TimeAmount, _ context: ChannelHandlerContext) {
        deadline = .now() + timeout
        if let timer, timer.at <= deadline { return }
        schedule(context)
    }

    private func schedule(_ context: ChannelHandlerContext) {
        timer?.task.cancel()
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            handler.timer = nil
            if NIODeadline.now() < handler.deadline {
                handler.schedule(context)
            } else {
                context.close(promise: nil)
            }
        }
        timer = (task, deadline)
    }
}
