/// One HTTP request as `HttpProxyRequest` carries it over the rendezvous port (http-api.md §0.2):
/// plain values, so the rendezvous side never sees HTTP types.
public struct ProxiedHTTPRequest: Sendable, Equatable {
    public var method: String
    /// Path and query, as the client cut them from the API URL (`/api/heartbeat?x=1`).
    public var path: String
    public var headers: [ProxiedHTTPHeader]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [ProxiedHTTPHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

/// The one `HttpProxyResponse` that answers it. `error` non-empty means the request was not carried
/// (the client then reports "TCP proxy error" and falls back to its HTTP result); otherwise `status`,
/// `headers` and `body` are the router's answer.
public struct ProxiedHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [ProxiedHTTPHeader]
    public var body: [UInt8]
    public var error: String
    /// Why it was not carried (for metrics and logs; `error` is what the client sees).
    public var failure: ProxyFailure?

    public init(status: Int, headers: [ProxiedHTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        error = ""
        failure = nil
    }

    /// Not carried: no status, only the reason.
    public static func failed(_ reason: ProxyFailure) -> ProxiedHTTPResponse {
        var response = ProxiedHTTPResponse(status: 0)
        response.error = reason.message
        response.failure = reason
        return response
    }
}

public struct ProxiedHTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Why a proxied request got no HTTP answer. The texts reach the client's log; short, no internals.
public enum ProxyFailure: String, Sendable, CaseIterable {
    /// Method, path or headers that no HTTP request could carry.
    case malformed
    /// The answer's body exceeds `APIProxy.Limits.maximumResponseBody`.
    case responseTooLarge = "response_too_large"
    /// The router did not answer within `APIProxy.Limits.timeLimit`.
    case timeout
    /// API_PORT is `off`: there is no API to reach.
    case disabled
    /// The connection is not secured (plaintext or WebSocket): tokens must not travel in the clear.
    case insecure
    /// Another request is in flight on this connection.
    case busy
    /// The answer's body could not be read.
    case internalError = "internal"

    public var message: String {
        switch self {
        case .malformed: "Bad request"
        case .responseTooLarge: "Response too large"
        case .timeout: "Request timed out"
        case .disabled: "API is disabled"
        case .insecure: "Secure connection required"
        case .busy: "One request at a time"
        case .internalError: "Internal error"
        }
    }
}
