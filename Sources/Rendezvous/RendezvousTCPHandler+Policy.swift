import APICore
import NIOCore
import RendezvousProtocol
import RustDeskCore

/// The connection policy (disabled devices, access rules, MUST_LOGIN) as PORT connections apply it to
/// PunchHoleRequest and RequestRelay; nothing to ask when the API is off.
extension RendezvousTCPHandler {
    /// The connection policy's refusal of a request from `remote` for device `id` (nil = allowed, also
    /// when the API is off), counted.
    func policyRefusal(deviceID id: String, token: String, from remote: SocketAddr)
        -> ConnectionRules.Refusal?
    {
        guard let policy = services.api?.policy,
            let refusal = policy.check(deviceID: id, token: token, from: remote.ip.normalized.description)
        else { return nil }
        services.metrics.policyRefusals.count(.init(refusal))
        return refusal
    }

    /// A refused RequestRelay: the requester waits for a RelayResponse, and aborts with a non-empty
    /// `refuse_reason`, showing it.
    func refuseRelay(_ refusal: ConnectionRules.Refusal, _ context: ChannelHandlerContext) {
        let message = Hbb_RendezvousMessage.with { $0.relayResponse = .with { $0.refuseReason = refusal.message } }
        guard let data = try? message.byteBuffer(allocator: context.channel.allocator) else { return }
        context.writeAndFlush(wrapOutboundOut(data), promise: nil)
    }
}
