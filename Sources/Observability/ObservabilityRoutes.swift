import NIOHTTP1
import Prometheus

/// The answer to one request, before it is written.
struct ObservabilityResponse {
    var status: HTTPResponseStatus
    var contentType = "text/plain; charset=utf-8"
    var body: [UInt8]
    var headers: [(String, String)] = []

    init(_ status: HTTPResponseStatus, _ text: String) {
        self.status = status
        body = Array(text.utf8)
    }
}

/// Maps a request to its answer: `/metrics`, `/healthz` and `/readyz`, GET or HEAD, query strings
/// ignored. Runs on the connection's event loop, so the closures it calls must not block.
struct ObservabilityRoutes: Sendable {
    static let exposition = "text/plain; version=0.0.4; charset=utf-8"

    let registry: PrometheusCollectorRegistry
    let readiness: @Sendable () -> Readiness
    let beforeScrape: (@Sendable () -> Void)?

    func respond(method: HTTPMethod, uri: String) -> ObservabilityResponse {
        let path = uri.prefix { $0 != "?" }
        guard ["/metrics", "/healthz", "/readyz"].contains(path) else {
            return ObservabilityResponse(.notFound, "not found\n")
        }
        guard method == .GET || method == .HEAD else {
            var response = ObservabilityResponse(.methodNotAllowed, "method not allowed\n")
            response.headers = [("Allow", "GET, HEAD")]
            return response
        }
        switch path {
        case "/metrics": return metrics()
        case "/healthz": return ObservabilityResponse(.ok, "ok\n")
        default: return ready()
        }
    }

    private func metrics() -> ObservabilityResponse {
        beforeScrape?()
        var response = ObservabilityResponse(.ok, "")
        response.contentType = Self.exposition
        registry.emit(into: &response.body)
        return response
    }

    private func ready() -> ObservabilityResponse {
        switch readiness() {
        case .ready:
            return ObservabilityResponse(.ok, "ready\n")
        case .notReady(let reasons):
            let lines = reasons.isEmpty ? ["not ready"] : reasons
            return ObservabilityResponse(.serviceUnavailable, lines.map { $0 + "\n" }.joined())
        }
    }
}
