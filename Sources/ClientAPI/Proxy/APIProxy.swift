import Hummingbird
import NIOCore

/// `HTTPField`, reached through the fields collection Hummingbird exports.
typealias Field = HTTPFields.Element

/// The `HttpProxyRequest` door (design.md §8, http-api.md §0.2): builds a Hummingbird request from
/// the proxied values, hands it to the same `APIDoor` as the PORT−2 listener (on the rendezvous
/// connection, so the caller's address is the client's), and collects the answer into one
/// `ProxiedHTTPResponse`.
///
/// Bounded like the listener: header count and bytes; the body by the rendezvous frame limit and by
/// the route's own limit (Content-Length is set from the body, never taken from the client); the
/// answer's body; and the time the router may take.
public struct APIProxy: Sendable {
    public struct Limits: Sendable {
        /// As the HTTP listener's decoder.
        public var maximumHeaders = 100
        /// Path and headers together, as the listener's request line and header limit.
        public var maximumHeaderBytes = 16 * 1024
        /// Far above any answer the Rust-side callers get (heartbeat, sysinfo, audit: a few hundred bytes).
        public var maximumResponseBody = 4 * 1024 * 1024
        /// Well inside the client's own limit (connect + read, 36 s), so it gets our answer.
        public var timeLimit: Duration = .seconds(15)

        public init() {}
    }

    public let limits: Limits
    private let door: APIDoor

    public init(door: APIDoor, limits: Limits = Limits()) {
        self.door = door
        self.limits = limits
    }

    public func respond(to proxied: ProxiedHTTPRequest, on channel: any Channel) async -> ProxiedHTTPResponse {
        guard let request = Self.request(proxied, limits: limits) else { return .failed(.malformed) }
        let door = door
        let limits = limits
        return await Deadline.first(within: limits.timeLimit, otherwise: .failed(.timeout)) {
            let response = await door.respond(to: request, on: channel)
            return await Self.collect(response, isHead: request.method == .head, limit: limits.maximumResponseBody)
        }
    }

    /// Framing and connection headers describe the client's hop to us, not this request.
    static let hopHeaders: Set<Field.Name> = [.contentLength, .transferEncoding, .connection, .te, .upgrade]

    /// nil when no HTTP/1.1 request could carry these values.
    static func request(_ proxied: ProxiedHTTPRequest, limits: Limits) -> Request? {
        guard let method = HTTPRequest.Method(proxied.method.uppercased()),
            proxied.path.utf8.first == UInt8(ascii: "/"),
            proxied.path.utf8.allSatisfy({ (0x21...0x7E).contains($0) }),
            proxied.headers.count <= limits.maximumHeaders
        else { return nil }
        var headerBytes = proxied.path.utf8.count
        var fields = HTTPFields()
        for header in proxied.headers {
            headerBytes += header.name.utf8.count + header.value.utf8.count
            guard headerBytes <= limits.maximumHeaderBytes, let name = Field.Name(header.name) else { return nil }
            if hopHeaders.contains(name) { continue }
            fields.append(Field(name: name, value: header.value))
        }
        if !proxied.body.isEmpty || (method != .get && method != .head) {
            fields[.contentLength] = String(proxied.body.count)
        }
        let head = HTTPRequest(method: method, scheme: nil, authority: nil, path: proxied.path, headerFields: fields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: proxied.body)))
    }

    /// The router's answer as values: its status and headers (hop headers replaced by the length of
    /// the body actually sent) and its body, read up to `limit` bytes.
    static func collect(_ response: Response, isHead: Bool, limit: Int) async -> ProxiedHTTPResponse {
        let collector = BodyCollector(limit: limit)
        do {
            let body = response.body
            try await body.write(CollectingWriter(collector: collector))
        } catch {
            return .failed(collector.overflowed ? .responseTooLarge : .internalError)
        }
        let bytes = isHead ? [] : collector.bytes
        var headers = response.headers.filter { !hopHeaders.contains($0.name) }.map {
            ProxiedHTTPHeader(name: $0.name.rawName, value: $0.value)
        }
        headers.append(ProxiedHTTPHeader(name: Field.Name.contentLength.rawName, value: String(bytes.count)))
        return ProxiedHTTPResponse(status: response.status.code, headers: headers, body: bytes)
    }
}

/// Gathers a response body in memory, refusing more than `limit` bytes. Used by one task at a time.
private final class BodyCollector {
    let limit: Int
    var bytes: [UInt8] = []
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }
}

private struct CollectingWriter: ResponseBodyWriter {
    struct TooLarge: Error {}

    let collector: BodyCollector

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard collector.bytes.count + buffer.readableBytes <= collector.limit else {
            collector.overflowed = true
            throw TooLarge()
        }
        collector.bytes.append(contentsOf: buffer.readableBytesView)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
