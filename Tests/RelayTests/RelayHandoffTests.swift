import Logging
import Prometheus
import RelayCore
import RustDeskCore
import TestSupport
import Testing

@testable import Relay

#if canImport(Glibc)
    import Glibc
#endif

/// The hand-over of a pair's two sockets to the direct relay, when one half is gone before it gave
/// its socket: the other half's connection must end, not hang. Real sockets (socketpair), no NIO.
@Suite struct RelayHandoffTests {
    private static let logger = Logger(label: "test.handoff") { _ in SwiftLogNoOpLogHandler() }

    private static func makeHandoff() throws -> (RelayHandoff, DirectRelayLoop, RelaySession) {
        let controls = RelayControls(configuration: HbbrConfiguration())
        let session = RelaySession(
            controls: controls, second: SocketAddr(ip: IPAddress(v4Octets: 127, 0, 0, 1), port: 1),
            metrics: HbbrMetrics(), logger: logger)
        let loop = try #require(DirectRelayLoop(settings: RelaySettings(port: 0), controls: controls, logger: logger))
        return (RelayHandoff(session: session, loop: loop), loop, session)
    }

    /// A connected pair of stream sockets: the relay's end and the client's end.
    private static func socketPair() throws -> (relayEnd: Int32, clientEnd: Int32) {
        var fds: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        return (fds[0], fds[1])
    }

    /// True when the client's end sees the end of the stream within `seconds`.
    private static func clientSeesEnd(_ fd: Int32, seconds: Int = 20) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 0
    }

    @Test(arguments: [true, false])
    func aHalfGoneBeforeHandingOverEndsTheOther(firstIsGone: Bool) async throws {
        let (handoff, loop, session) = try Self.makeHandoff()
        let (relayEnd, clientEnd) = try Self.socketPair()
        defer { close(clientEnd) }
        let socket = DirectRelaySocket(fd: relayEnd, leftover: [1, 2])
        if firstIsGone {
            handoff.deliverFirst(nil)
            handoff.deliverSecond(socket)
        } else {
            handoff.deliverSecond(socket)
            handoff.deliverFirst(nil)
        }
        #expect(Self.clientSeesEnd(clientEnd))
        #expect(session.hasEnded)
        #expect(loop.openHalves == 0)
        // Never relayed, so never counted as a pair (nor left active).
        let registry = session.metrics.registry
        #expect(registry.value("hbbr_pairs_total", ["transport": "tcp_direct"]) == 0)
        #expect(registry.value("hbbr_relay_pairs_active", ["transport": "tcp_direct"]) == 0)
        #expect(registry.value("hbbr_relayed_bytes_total") == 0)
        await loop.close()
    }

    @Test func aLateCloseHookIsIgnoredOnceTheSocketArrived() async throws {
        let (handoff, loop, session) = try Self.makeHandoff()
        let (firstRelayEnd, firstClient) = try Self.socketPair()
        let (secondRelayEnd, secondClient) = try Self.socketPair()
        defer {
            close(firstClient)
            close(secondClient)
        }
        handoff.deliverFirst(DirectRelaySocket(fd: firstRelayEnd, leftover: Array("early".utf8)))
        handoff.deliverFirst(nil)  // the first channel's close hook, after it gave its socket
        handoff.deliverSecond(DirectRelaySocket(fd: secondRelayEnd, leftover: []))
        #expect(!session.hasEnded)
        #expect(await poll(timeout: .seconds(15)) { loop.openHalves == 2 })
        // What the first half sent behind its RequestRelay reaches the second client.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(secondClient, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = [UInt8](repeating: 0, count: 5)
        #expect(read(secondClient, &received, 5) == 5)
        #expect(received == Array("early".utf8))
        let registry = session.metrics.registry
        #expect(registry.value("hbbr_pairs_total", ["transport": "tcp_direct"]) == 1)
        #expect(registry.value("hbbr_relay_pairs_active", ["transport": "tcp_direct"]) == 1)
        #expect(registry.value("hbbr_relayed_bytes_total") == 5)
        await loop.close()
        #expect(Self.clientSeesEnd(firstClient))
        #expect(Self.clientSeesEnd(secondClient))
        #expect(loop.openHalves == 0)
        // The stopping loop ends the pair: no longer active.
        #expect(registry.value("hbbr_relay_pairs_active", ["transport": "tcp_direct"]) == 0)
    }
}
