import APICore
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// What both event-loop heartbeat paths (`HeartbeatFrontDoor` before HTTP parsing, `HeartbeatFastPath`
/// after it) answer with, shared by every connection. It decodes and answers exactly as the route
/// does (`DeviceRoutes.heartbeat`): the same body rules (`HeartbeatBody.decode`), the same service
/// call (`DeviceService.heartbeat(_:completion:)`, whose write, when a beat needs one, is committed
/// before the answer), the same bytes (`APIResponse.jsonParts`), counted under the route's label.
struct HeartbeatResponder: Sendable {
    let devices: DeviceService
    let metrics: APIMetrics
    /// The series of the usual answer, kept: looking it up per request was a visible cost.
    let answered: Counter
    /// Heartbeats answered by `HeartbeatFrontDoor`, before any HTTP parsing.
    let answeredRaw: Counter
    /// Connections `HeartbeatFrontDoor` handed to the HTTP pipeline.
    let handedOver: Counter
    /// The answer to almost every heartbeat (`{}`: nothing to do), encoded once.
    let nothing: (HTTPResponse, ByteBuffer)
    let nothingBytes: ByteBuffer

    static let route = "/api/heartbeat"
    static let limit = BodyLimit.json

    init(devices: DeviceService, metrics: APIMetrics) {
        self.devices = devices
        self.metrics = metrics
        answered = metrics.requestCounter(route: Self.route, status: 200)
        answeredRaw = metrics.registry.makeCounter(
            descriptor: .counter(
                "hbbs", "api_heartbeats_unparsed",
                help: "Client API heartbeats answered from the raw bytes, before HTTP parsing (also in api_requests)."))
        handedOver = metrics.registry.makeCounter(
            descriptor: .counter(
                "hbbs", "api_connections_handed_over",
                help: "Client API connections that started as heartbeat-only and moved to the full HTTP pipeline."))
        nothing = APIResponse.jsonParts(HeartbeatReply(answer: .nothing))
        nothingBytes = HTTPWireResponse.bytes(nothing.0, body: nothing.1)
    }

    /// Decodes `body` and answers on `loop`: at once when no write is needed, after the commit otherwise.
    func answer(
        _ body: ByteBuffer, on loop: any EventLoop,
        deliver: @escaping @Sendable (Result<HeartbeatAnswer, APIFailure>) -> Void
    ) {
        let beat: Heartbeat
        do {
            beat = try HeartbeatBody.decode(from: body)
        } catch {
            return deliver(.failure(error))
        }
        devices.heartbeat(beat) { result in
            let outcome = result.mapError { _ in APIFailure.unavailable }
            if loop.inEventLoop { deliver(outcome) } else { loop.execute { deliver(outcome) } }
        }
    }

    /// The answer's head and body as the router writes them, counted before they leave (so whoever
    /// reads the answer also sees it counted).
    func parts(_ outcome: Result<HeartbeatAnswer, APIFailure>) -> (HTTPResponse, ByteBuffer) {
        switch outcome {
        case .success(let answer) where answer == .nothing:
            answered.increment()
            return nothing
        case .success(let answer):
            answered.increment()
            return APIResponse.jsonParts(HeartbeatReply(answer: answer))
        case .failure(let failure):
            metrics.countRequest(route: Self.route, status: Int(failure.status.code))
            return APIResponse.jsonParts(["error": failure.message], status: failure.status)
        }
    }

    /// `parts` as bytes on the wire, for `HeartbeatFrontDoor`.
    func wireBytes(_ outcome: Result<HeartbeatAnswer, APIFailure>) -> ByteBuffer {
        if case .success(let answer) = outcome, answer == .nothing {
            answered.increment()
            return nothingBytes
        }
        let (head, body) = parts(outcome)
        return HTTPWireResponse.bytes(head, body: body)
    }
}
