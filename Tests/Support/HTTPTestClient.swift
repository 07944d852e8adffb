import NIOCore
import NIOPosix
import Synchronization

/// One HTTP/1.x response as a test sees it.
public struct HTTPTestResponse: Sendable {
    public let statusLine: String
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
    /// The whole response as it came: status line, fields, body.
    public let raw: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The first header of that name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

public enum HTTPTestClientError: Error, CustomStringConvertible {
    case noResponse(timeout: Duration, received: String)
    case malformed(String)

    public var description: String {
        switch self {
        case .noResponse(let timeout, let received):
            "no complete HTTP response within \(timeout) (received: \(received.debugDescription))"
        case .malformed(let head): "malformed HTTP response head: \(head.debugDescription)"
        }
    }
}

/// A raw HTTP/1.x client over one TCP connection: it writes requests as bytes (well-formed or not)
/// and parses the responses itself, so tests see exactly what the server sent. Responses carry
/// Content-Length or end with the connection.
public final class HTTPTestClient: Sendable {
    private let channel: any Channel
    private let received: Inbox<[UInt8]>
    /// Guards the bytes received but not yet returned as a response.
    private let pending = Mutex<[UInt8]>([])

    private init(channel: any Channel, received: Inbox<[UInt8]>) {
        self.channel = channel
        self.received = received
    }

    public static func connect(
        host: String = "127.0.0.1", port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HTTPTestClient {
        let received = Inbox<[UInt8]>()
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteCollector(inbox: received))
                }
            }
            .connect(host: host, port: port)
            .get()
        return HTTPTestClient(channel: channel, received: received)
    }

    /// Sends one request: `Host` is added, and `Content-Length` when there is a body.
    public func send(
        _ method: String = "GET", _ target: String, version: String = "HTTP/1.1",
        headers: [(String, String)] = [], body: String = ""
    ) async throws {
        var text = "\(method) \(target) \(version)\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
        try await sendRaw(text + "\r\n" + body)
    }

    public func sendRaw(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// The next complete response. `toHead` says the request was HEAD: its Content-Length announces
    /// a body that is not sent.
    public func response(toHead: Bool = false, timeout: Duration = .seconds(15)) async throws -> HTTPTestResponse {
        let deadline = ContinuousClock.now + timeout
        var closed = false
        while true {
            let isClosed = closed
            if let response = try pending.withLock({
                try Self.takeResponse(from: &$0, toHead: toHead, closed: isClosed)
            }) {
                return response
            }
            let remaining = deadline - ContinuousClock.now
            guard !closed, remaining > .zero else {
                let text = pending.withLock { String(decoding: $0, as: UTF8.self) }
                throw HTTPTestClientError.noResponse(timeout: timeout, received: text)
            }
            if let bytes = await received.next(timeout: remaining) {
                pending.withLock { $0 += bytes }
            } else {
                closed = !channel.isActive
            }
        }
    }

    /// True once the server has closed the connection; false if it is still open after `timeout`.
    public func waitForClose(timeout: Duration = .seconds(15)) async -> Bool {
        await poll(timeout: timeout) { !channel.isActive }
    }

    public var isOpen: Bool { channel.isActive }

    public func close() async {
        try? await channel.close()
    }

    /// Cuts one response off the front of `buffer`; nil while it is incomplete.
    private static func takeResponse(from buffer: inout [UInt8], toHead: Bool, closed: Bool) throws
        -> HTTPTestResponse?
    {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headEnd = buffer.indices.first(where: { buffer[$0...].starts(with: separator) }) else {
            return nil
        }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw HTTPTestClientError.malformed(head)
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPTestClientError.malformed(head) }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces))
        }
        let bodyStart = headEnd + separator.count
        let declared = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) }
        let bodyLength: Int
        if toHead {
            bodyLength = 0
        } else if let declared {
            bodyLength = declared
        } else {
            // No length: the body ends with the connection.
            guard closed else { return nil }
            bodyLength = buffer.count - bodyStart
        }
        guard buffer.count - bodyStart >= bodyLength else { return nil }
        let body = Array(buffer[bodyStart..<(bodyStart + bodyLength)])
        let raw = Array(buffer[..<(bodyStart + bodyLength)])
        buffer.removeFirst(bodyStart + bodyLength)
        return HTTPTestResponse(
            statusLine: String(lines[0]), status: status, headers: headers, body: body, raw: raw)
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// Pushes every byte received into the inbox and closes it with the connection.
private final class ByteCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let inbox: Inbox<[UInt8]>

    init(inbox: Inbox<[UInt8]>) { self.inbox = inbox }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        inbox.push(buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.close()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension HTTPTestClient {
    /// One GET on a fresh connection. HTTP/1.0, so the server neither chunks the body nor keeps the
    /// connection.
    public static func get(
        host: String = "127.0.0.1", port: Int, _ target: String, timeout: Duration = .seconds(15),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HTTPTestResponse {
        let client = try await connect(host: host, port: port, group: group)
        do {
            try await client.send("GET", target, version: "HTTP/1.0")
            let response = try await client.response(timeout: timeout)
            await client.close()
            return response
        } catch {
            await client.close()
            throw error
        }
    }
}
