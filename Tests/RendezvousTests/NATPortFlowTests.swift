import Foundation
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import TestSupport
import Testing

@testable import Rendezvous

@Suite struct NATPortFlowTests {
    @Test(arguments: [false, true])
    func natTestReportsTheSourcePort(onNATPort: Bool) async throws {
        let hbbs = try await TestHbbs { $0.serial = 4 }
        // From a non-loopback-looking source address (still 127/8) and from 127.0.0.1 itself: on
        // PORT−1, our loopback console still serves frames as a client.
        for source in ["127.0.0.20", "127.0.0.1"] {
            let client = try await TCPTestClient(port: onNATPort ? hbbs.natPort : hbbs.port, from: source)
            let localPort = try #require(client.localAddress?.port)
            try await client.send(.with { $0.testNatRequest = .with { $0.serial = 3 } })
            let response = try await client.receive().testNatResponse
            #expect(response.port == Int32(localPort))
            // Only the main port carries the ConfigUpdate for older serials.
            #expect(response.hasCu == !onNATPort)
            #expect(await client.waitForClose())
        }
        await hbbs.stop()
    }

    @Test func onlineBitmap() async throws {
        let hbbs = try await TestHbbs()
        var ids: [String] = []
        var online: Set<Int> = []
        for index in 0..<10 {
            if [0, 2, 5, 9].contains(index) {
                ids.append(try await RegisteredTestPeer.register(with: hbbs, host: "127.0.1.\(index + 1)").id)
                online.insert(index)
            } else {
                ids.append(Messages.newID())
            }
        }
        let client = try await TCPTestClient(port: hbbs.natPort, from: "127.0.0.30")
        try await client.send(
            .with {
                $0.onlineRequest = .with {
                    $0.id = Messages.newID(); $0.peers = ids
                }
            })
        let states = try await client.receive().onlineResponse.states
        #expect(states == Data([0b1010_0100, 0b0100_0000]))
        #expect(await client.waitForClose())
        await hbbs.stop()
    }

    @Test func onlineRequestWithNoIDsGetsEmptyBitmap() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.natPort, from: "127.0.0.31")
        try await client.send(.with { $0.onlineRequest = .with { $0.id = "x" } })
        let response = try await client.receive()
        #expect(response.onlineResponse.states.isEmpty)
        await hbbs.stop()
    }

    @Test func onlineIsNotAnsweredOnTheMainPort() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.port)
        try await client.send(.with { $0.onlineRequest = .with { $0.peers = ["a"] } })
        #expect(await client.waitForClose())
        await hbbs.stop()
    }

    @Test func consoleAnswersLoopbackText() async throws {
        let hbbs = try await TestHbbs { $0.relayServers = ["r1:21117", "r2"] }
        func run(_ command: String) async throws -> String {
            let console = try await TCPTestClient(port: hbbs.natPort, framed: false)
            try await console.sendRaw(Array(command.utf8))
            var output = ""
            while let chunk = await console.receiveRaw() {
                output += String(decoding: chunk.readableBytesView, as: UTF8.self)
            }
            return output
        }
        #expect(try await run("h").hasPrefix("relay-servers(rs) <separated by ,>\n"))
        #expect(try await run("rs") == "r1:21117\nr2\n")
        #expect(try await run("aur") == "ALWAYS_USE_RELAY: false\n")
        #expect(try await run("aur Y") == "")
        let alwaysUseRelay = hbbs.services.tables.relays.alwaysUseRelay
        #expect(alwaysUseRelay)
        #expect(try await run("tg 1.2.3.4") == "\"r1:21117\"")
        #expect(try await run("nonsense") == "")
        await hbbs.stop()
    }

    @Test func silentClientIsClosedAfterTheTimeout() async throws {
        let hbbs = try await TestHbbs()
        let client = try await TCPTestClient(port: hbbs.natPort, from: "127.0.0.40")
        #expect(await hbbs.clock.advance(by: .seconds(31), until: { client.isClosed }))
        await hbbs.stop()
    }
}
