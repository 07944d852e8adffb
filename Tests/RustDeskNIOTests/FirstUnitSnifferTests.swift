import NIOCore
import NIOEmbedded
import RendezvousProtocol
import RustDeskCore
import Testing

@testable import RustDeskNIO

@Suite struct FirstUnitSnifferTests {
    private static let limit = 64 * 1024

    private static func frame(_ message: Hbb_RendezvousMessage) throws -> [UInt8] {
        try FrameCodec.encode(try message.serializedBytes())
    }

    private static let request = Hbb_RendezvousMessage.with { $0.requestRelay = .with { $0.uuid = "u" } }

    private func sniff(_ bytes: [UInt8], console: Bool) -> FirstUnitSniffer.Verdict {
        FirstUnitSniffer.sniff(ByteBuffer(bytes: bytes), maximumPayload: Self.limit, consoleCandidate: console)
    }

    @Test(arguments: [false, true])
    func aWholeMessageFrameIsTheUnitEvenOnLoopback(console: Bool) throws {
        let frame = try Self.frame(Self.request)
        guard case .message(let message, let length) = sniff(frame + [9, 9], console: console) else {
            Issue.record("expected a message")
            return
        }
        #expect(message == Self.request)
        #expect(length == frame.count)
    }

    @Test func aPartialFrameWaitsForMoreExceptFromTheConsole() throws {
        let frame = try Self.frame(Self.request)
        guard case .needMoreData = sniff(Array(frame.dropLast()), console: false) else {
            Issue.record("a client's partial frame needs more data")
            return
        }
        // "h\n": 'h' reads as a 1-byte header announcing 26 bytes, which the console never sends.
        guard case .console("h\n") = sniff(Array("h\n".utf8), console: true) else {
            Issue.record("the console reads once")
            return
        }
    }

    @Test func anOversizedHeaderIsRefusedExceptFromTheConsole() throws {
        let header = try FrameCodec.header(forPayloadLength: Self.limit + 1)
        guard case .oversized = sniff(header, console: false) else {
            Issue.record("expected oversized")
            return
        }
        guard case .console(let text) = sniff(header, console: true) else {
            Issue.record("expected console text")
            return
        }
        #expect(text == String(decoding: header, as: UTF8.self))
    }

    @Test func aFrameWithoutAKnownMessageIsUnreadableExceptFromTheConsole() throws {
        for payload: [UInt8] in [[], [0xFF, 0xFF]] {
            let frame = try FrameCodec.encode(payload)
            guard case .unreadable = sniff(frame, console: false) else {
                Issue.record("expected unreadable for \(payload)")
                continue
            }
            guard case .console = sniff(frame, console: true) else {
                Issue.record("expected console for \(payload)")
                continue
            }
        }
    }

    @Test func consoleTextIsCutAtTheReadLimitAndMustBeUTF8() {
        let long = Array(repeating: UInt8(ascii: "a"), count: FirstUnitSniffer.consoleReadLimit + 10)
        guard case .console(let text) = sniff(long, console: true) else {
            Issue.record("expected console text")
            return
        }
        #expect(text?.utf8.count == FirstUnitSniffer.consoleReadLimit)
        guard case .console(nil) = sniff([UInt8(ascii: "u"), 0xC3], console: true) else {
            Issue.record("invalid UTF-8 is console text without a reply")
            return
        }
    }

    @Test func theReplyIsWrittenThenTheConnectionCloses() throws {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        ConsoleReply.send(channel.eventLoop.makeSucceededFuture("ok\n"), on: channel)
        let written = try channel.readOutbound(as: ByteBuffer.self)
        #expect(written.map { String(buffer: $0) } == "ok\n")
        #expect(!channel.isActive)
    }

    @Test func aFailedCommandClosesWithoutAReply() throws {
        struct Failed: Error {}
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        ConsoleReply.send(channel.eventLoop.makeFailedFuture(Failed()), on: channel)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(!channel.isActive)
    }
}
