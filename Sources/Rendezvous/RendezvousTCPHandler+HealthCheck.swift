import NIOCore
import RendezvousProtocol
import RustDeskNIO

/// Where a connection's HealthCheck stands.
enum HealthCheckState: Equatable {
    case none
    /// The first token check is running.
    case checking
    /// Accepted: kept open with heartbeats, the token checked again every `healthCheckRecheck`.
    case watching(token: String)
}

/// HealthCheck (messages.md §3.21): during a session, a logged-in controlling client keeps a secured
/// PORT connection open, sends one HealthCheck with its access token and then only echoes our
/// heartbeats; it expects nothing else (a RegisterPkResponse's keep_alive would only change its idle
/// limit, whose 90 s default our 15 s heartbeats satisfy).
///
/// Accepted only on a secured connection with the API on and a valid token; otherwise refused and
/// closed. Because the client sends the token once, it is checked again on a timer, and the
/// connection is closed once the session is gone (logout, password change, disabled user, expiry).
/// Token checks run as tasks (they read the store) and their verdicts hop back to the loop.
extension RendezvousTCPHandler {
    func startHealthCheck(_ check: Hbb_HealthCheck, _ context: ChannelHandlerContext) {
        let refusals = services.metrics.healthCheckRefusals
        guard secured else {
            refusals.count(.insecure)
            context.close(promise: nil)
            return
        }
        guard let api = services.api else {
            refusals.count(.disabled)
            context.close(promise: nil)
            return
        }
        // One HealthCheck per connection; another one while checking or watching changes nothing.
        guard healthCheck == .none else { return }
        healthCheck = .checking
        checkToken(check.token, api: api, channel: context.channel, eventLoop: context.eventLoop)
    }

    private func checkToken(_ token: String, api: RendezvousAPIAccess, channel: any Channel, eventLoop: any EventLoop) {
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        Task {
            let verdict = await api.check(token: token)
            eventLoop.execute { loopBound.value.act(on: verdict, token: token, api: api, channel: channel) }
        }
    }

    private func act(on verdict: TokenVerdict, token: String, api: RendezvousAPIAccess, channel: any Channel) {
        guard channel.isActive else { return }
        let refusals = services.metrics.healthCheckRefusals
        switch (healthCheck, verdict) {
        case (.checking, .valid):
            healthCheck = .watching(token: token)
            services.healthChecks.opened()
            startHeartbeat(on: channel)
            scheduleRecheck(token: token, api: api, channel: channel)
        case (.checking, .invalid):
            refusals.count(.invalidToken)
            channel.close(promise: nil)
        case (.checking, .unavailable):
            refusals.count(.unavailable)
            channel.close(promise: nil)
        case (.watching, .valid), (.watching, .unavailable):
            // Our store's trouble is no reason to drop a client whose token was valid.
            scheduleRecheck(token: token, api: api, channel: channel)
        case (.watching, .invalid):
            refusals.count(.revoked)
            channel.close(promise: nil)
        case (.none, _):
            break
        }
    }

    /// One check at a time: the next is scheduled only once this one's verdict is in.
    private func scheduleRecheck(token: String, api: RendezvousAPIAccess, channel: any Channel) {
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        healthRecheck = services.clock.schedule(on: channel.eventLoop, in: api.healthCheckRecheck) {
            let handler = loopBound.value
            handler.healthRecheck = nil
            guard case .watching = handler.healthCheck, channel.isActive else { return }
            handler.checkToken(token, api: api, channel: channel, eventLoop: channel.eventLoop)
        }
    }

    /// The connection closed: stop checking, and stop counting it as open.
    func endHealthCheck() {
        healthRecheck?.cancel()
        healthRecheck = nil
        if case .watching = healthCheck { services.healthChecks.closed() }
        healthCheck = .none
    }
}
