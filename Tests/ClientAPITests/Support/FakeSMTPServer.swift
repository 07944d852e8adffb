import NIOCore
import NIOPosix
import Synchronization

/// A scripted SMTP server on 127.0.0.1 and a free port, for the mailer's and the invitation's tests:
/// it answers the dialogue the way `behaviour` says and records every command line and every
/// message's DATA as it arrived (still dot-stuffed).
final class FakeSMTPServer: Sendable {
    enum Behaviour: Sendable {
        /// EHLO offers AUTH PLAIN and LOGIN; everything is accepted.
        case accept
        /// EHLO offers only AUTH LOGIN.
        case loginOnly
        /// EHLO is refused (502), HELO accepted, no AUTH offered.
        case heloOnly
        /// RCPT TO is refused with 550.
        case rejectRecipient
        /// Connects, then never says a word.
        case silent
    }

    let port: Int
    private let behaviour: Behaviour
    private let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    /// Guards the command lines received, in order.
    private let lines = Mutex<[String]>([])
    /// Guards each message's DATA lines joined with CRLF, as received.
    private let data = Mutex<[String]>([])

    init(_ behaviour: Behaviour = .accept) async throws {
        self.behaviour = behaviour
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        port = server.channel.localAddress?.port ?? 0
        Task { [self] in await serve() }
    }

    var commands: [String] { lines.withLock { $0 } }
    var messages: [String] { data.withLock { $0 } }

    func stop() async {
        try? await server.channel.close()
    }

    private func serve() async {
        try? await server.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    group.addTask { try? await self.converse(connection) }
                }
            }
        }
    }

    private func converse(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            if case .silent = behaviour {
                for try await _ in inbound {}
                return
            }
            try await outbound.write(ByteBuffer(string: "220 fake.example ESMTP\r\n"))
            var pending: [UInt8] = []
            var state = State()
            for try await buffer in inbound {
                pending += buffer.readableBytesView
                while let end = pending.firstIndex(of: 0x0A) {
                    var line = String(decoding: pending[..<end], as: UTF8.self)
                    if line.hasSuffix("\r") { line.removeLast() }
                    pending.removeFirst(end + 1)
                    guard let reply = answer(line, &state) else { continue }
                    try await outbound.write(ByteBuffer(string: reply))
                    if line == "QUIT" { return }
                }
            }
        }
    }

    private struct State {
        var inData = false
        var message: [String] = []
        var loginStep = 0
    }

    /// The reply to one line; nil while DATA is being received.
    private func answer(_ line: String, _ state: inout State) -> String? {
        if state.inData {
            guard line == "." else {
                state.message.append(line)
                return nil
            }
            state.inData = false
            let text = state.message.joined(separator: "\r\n")
            data.withLock { $0.append(text) }
            state.message = []
            return "250 2.0.0 queued\r\n"
        }
        lines.withLock { $0.append(line) }
        // AUTH LOGIN: the user name is asked for the password, the password is accepted.
        if state.loginStep == 1 {
            state.loginStep = 2
            return "334 UGFzc3dvcmQ6\r\n"
        }
        if state.loginStep == 2 {
            state.loginStep = 0
            return "235 2.7.0 ok\r\n"
        }
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        switch (verb, behaviour) {
        case ("EHLO", .heloOnly): return "502 5.5.1 no EHLO here\r\n"
        case ("EHLO", .loginOnly): return "250-fake.example\r\n250-AUTH LOGIN\r\n250 8BITMIME\r\n"
        case ("EHLO", _):
            return "250-fake.example greets you\r\n250-SIZE 1000000\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
        case ("HELO", _): return "250 fake.example\r\n"
        case ("AUTH", _) where line.uppercased() == "AUTH LOGIN":
            state.loginStep = 1
            return "334 VXNlcm5hbWU6\r\n"
        case ("AUTH", _): return "235 2.7.0 ok\r\n"
        case ("MAIL", _): return "250 2.1.0 ok\r\n"
        case ("RCPT", .rejectRecipient): return "550 5.1.1 no such mailbox\r\n"
        case ("RCPT", _): return "250 2.1.5 ok\r\n"
        case ("DATA", _):
            state.inData = true
            return "354 go ahead\r\n"
        case ("QUIT", _): return "221 2.0.0 bye\r\n"
        default: return "500 5.5.2 what?\r\n"
        }
    }
}
