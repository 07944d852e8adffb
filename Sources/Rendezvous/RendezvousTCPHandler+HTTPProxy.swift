import ClientAPI
import Foundation
import NIOCore
import RendezvousProtocol

/// HttpProxyRequest (http-api.md §0.2): a client ≥ 1.4.7 whose HTTP call to the API failed sends the
/// request here, on a secured PORT connection, and reads exactly one HttpProxyResponse.
///
/// Refusals: a plaintext (or WebSocket) connection gets `error` set and is closed, since the request
/// carries a bearer token; with API_PORT `off` the answer is `error` "API is disabled" and the
/// connection stays open. A second request while one is in flight closes the connection (the client
/// never pipelines, and answers matched by order only must not be reordered).
extension RendezvousTCPHandler {
    func proxyHTTP(_ request: Hbb_HttpProxyRequest, _ context: ChannelHandlerContext) {
        let channel = context.channel
        guard secured else {
            answerProxy(.failed(.insecure), on: channel, thenClose: true)
            return
        }
        guard let api = services.api else {
            answerProxy(.failed(.disabled), on: channel)
            return
        }
        guard !proxyInFlight else {
            services.metrics.httpProxyRequests.count(.busy)
            context.close(promise: nil)
            return
        }
        proxyInFlight = true
        let proxied = ProxiedHTTPRequest(
            method: request.method, path: request.path,
            headers: request.headers.map { ProxiedHTTPHeader(name: $0.name, value: $0.value) },
            body: [UInt8](request.body))
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        // The router runs as a task; the answer hops back to this connection's loop.
        Task {
            let response = await api.proxy.respond(to: proxied, on: channel)
            channel.eventLoop.execute {
                loopBound.value.proxyInFlight = false
                loopBound.value.answerProxy(response, on: channel)
            }
        }
    }

    private func answerProxy(_ response: ProxiedHTTPResponse, on channel: any Channel, thenClose: Bool = false) {
        services.metrics.httpProxyRequests.count(.init(response.failure))
        guard channel.isActive else { return }
        let message = Hbb_RendezvousMessage.with {
            $0.httpProxyResponse = .with {
                $0.status = Int32(clamping: response.status)
                $0.headers = response.headers.map { header in
                    .with {
                        $0.name = header.name
                        $0.value = header.value
                    }
                }
                $0.body = Data(response.body)
                $0.error = response.error
            }
        }
        guard let data = try? message.byteBuffer(allocator: channel.allocator) else {
            channel.close(promise: nil)
            return
        }
        let written = channel.writeAndFlush(data)
        if thenClose { written.whenComplete { _ in channel.close(promise: nil) } }
    }
}
