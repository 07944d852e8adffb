import APICore
import NIOCore
import NIOPosix
import RustDeskCore

/// Sends one mail per call over plain SMTP (RFC 5321): EHLO (HELO if refused), AUTH PLAIN or LOGIN
/// when a user is configured, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. No TLS (the package
/// has no TLS library; docs/operations.md says to use a local or trusted relay). The whole exchange,
/// connecting included, runs under one deadline, and replies are read through the bounded
/// `SMTPReplyReader`, so a silent or chatty server costs at most `timeout` and a few kilobytes.
public struct SMTPMailer: Mailer {
    public let configuration: MailConfiguration
    public let timeout: Duration
    /// The name we give in EHLO.
    public let clientName: String
    private let group: any EventLoopGroup
    private let clock: APIClock

    public init(
        configuration: MailConfiguration, group: any EventLoopGroup, timeout: Duration = .seconds(30),
        clientName: String = "localhost", clock: APIClock = .system
    ) {
        self.configuration = configuration
        self.group = group
        self.timeout = timeout
        self.clientName = clientName
        self.clock = clock
    }

    public func send(_ message: MailMessage) async throws(MailFailure) {
        // Rendering refuses header injection and bad addresses before anything touches the network.
        let domain = message.from.split(separator: "@").last.map(String.init) ?? "localhost"
        let text = try message.rendered(
            date: MailDate.format(clock.now()), messageID: "\(UInt64.random(in: 0...UInt64.max))@\(domain)")
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await connect()
        } catch {
            throw .connect("\(error)")
        }
        do {
            try await withDeadline(
                timeout, onTimeout: { channel.channel.close(promise: nil) },
                {
                    try await channel.executeThenClose { inbound, outbound in
                        var session = SMTPSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
                        try await converse(&session, message: message, text: text)
                    }
                })
        } catch let failure as MailFailure {
            throw failure
        } catch {
            throw .protocolError("\(error)")
        }
    }

    private func connect() async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: group)
            // The connect's own bound is the whole exchange's.
            .connectTimeout(
                .nanoseconds(
                    timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
            )
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func converse(_ session: inout SMTPSession, message: MailMessage, text: [UInt8]) async throws {
        try await session.expect("greeting", [220])
        var hello = try await session.command("EHLO \(clientName)")
        if hello.code != 250 {
            hello = try await session.command("HELO \(clientName)")
            guard hello.code == 250 else {
                throw MailFailure.rejected(step: "HELO", code: hello.code, text: hello.text)
            }
        }
        if let user = configuration.user {
            try await authenticate(&session, user: user, offered: Self.authMechanisms(hello))
        }
        try await session.expect("MAIL FROM", [250], sending: "MAIL FROM:<\(message.from)>")
        try await session.expect("RCPT TO", [250, 251], sending: "RCPT TO:<\(message.to)>")
        try await session.expect("DATA", [354], sending: "DATA")
        try await session.write(SMTPDotStuffing.payload(text))
        try await session.expect("message", [250])
        // The mail is accepted; a server that hangs up instead of answering QUIT changes nothing.
        _ = try? await session.command("QUIT")
    }

    private func authenticate(_ session: inout SMTPSession, user: String, offered: Set<String>) async throws {
        let password = configuration.password ?? ""
        if offered.contains("PLAIN") {
            let credentials = Base64.encode([0] + Array(user.utf8) + [0] + Array(password.utf8))
            try await session.expect("AUTH", [235], sending: "AUTH PLAIN \(credentials)")
        } else if offered.contains("LOGIN") {
            try await session.expect("AUTH", [334], sending: "AUTH LOGIN")
            try await session.expect("AUTH", [334], sending: Base64.encode(Array(user.utf8)))
            try await session.expect("AUTH", [235], sending: Base64.encode(Array(password.utf8)))
        } else {
            throw MailFailure.noAuthMechanism
        }
    }

    /// The mechanisms of EHLO's `AUTH` line (`250-AUTH PLAIN LOGIN`), upper-cased.
    static func authMechanisms(_ hello: SMTPReply) -> Set<String> {
        var mechanisms = Set<String>()
        for line in hello.lines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map { $0.uppercased() }
            if words.first == "AUTH" { mechanisms.formUnion(words.dropFirst()) }
        }
        return mechanisms
    }
}

/// One connection's reading and writing: commands out, replies in, through the bounded reader.
private struct SMTPSession {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var reader = SMTPReplyReader()
    var waiting: [SMTPReply] = []

    init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.inbound = inbound
        self.outbound = outbound
    }

    mutating func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends `line` (which never holds CR or LF: callers build it from checked values) and reads the reply.
    mutating func command(_ line: String) async throws -> SMTPReply {
        guard !line.contains(where: \.isNewline) else { throw MailFailure.headerInjection }
        try await write(Array(line.utf8) + [0x0D, 0x0A])
        return try await reply()
    }

    mutating func expect(_ step: String, _ codes: Set<Int>, sending line: String? = nil) async throws {
        let answer: SMTPReply
        if let line { answer = try await command(line) } else { answer = try await reply() }
        guard codes.contains(answer.code) else {
            throw MailFailure.rejected(step: step, code: answer.code, text: String(answer.text.prefix(200)))
        }
    }

    mutating func reply() async throws -> SMTPReply {
        while waiting.isEmpty {
            guard let buffer = try await inbound.next() else {
                throw MailFailure.protocolError("the server closed the connection")
            }
            waiting += try reader.feed(buffer.readableBytesView)
        }
        return waiting.removeFirst()
    }
}

/// Runs `body` unless `timeout` passes first; then `onTimeout` runs (closing what `body` waits on) and
/// `MailFailure.timeout` is thrown.
private func withDeadline<T: Sendable>(
    _ timeout: Duration, onTimeout: @escaping @Sendable () -> Void = {},
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            onTimeout()
            throw MailFailure.timeout
        }
        return value
    }
}
