import Foundation
import TestSupport
import Testing

@testable import ClientAPI

/// `HeartbeatFrontDoor` through the real wire: a connection that carries only heartbeats is answered
/// from the raw bytes with exactly the router's bytes; at the first other request (or a heartbeat it
/// does not take, or one that arrives in pieces) the connection moves to the HTTP pipeline with
/// nothing lost or reordered; an idle or stopping server closes it.
@Suite struct HeartbeatFrontDoorTests {
    typealias Requests = HeartbeatFastPathTests

    static func unparsed(_ server: APITestServer) -> Double? {
        server.hbbs.services.metrics.registry.value("hbbs_api_heartbeats_unparsed_total")
    }

    static func handedOver(_ server: APITestServer) -> Double? {
        server.hbbs.services.metrics.registry.value("hbbs_api_connections_handed_over_total")
    }

    /// The same bodies on three connections: raw (front door), after another request (fast path), and
    /// chunked (the router): the same bytes on the wire from all three.
    @Test func answersAreTheRoutersByteForByte() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let raw = try await HTTPTestClient.connect(port: server.apiPort)
        let fast = try await HTTPTestClient.connect(port: server.apiPort)
        let routed = try await HTTPTestClient.connect(port: server.apiPort)
        try await fast.sendRaw(Requests.loginOptions)
        #expect(try await fast.response().status == 200)
        let stranger = RegisteredTestDevice(id: "987654321", uuidBase64: device.uuidBase64)
        let bodies = [Requests.body(device), Requests.body(stranger), "", "{not json", #"{"id":5}"#, "[1]"]
        for body in bodies {
            try await raw.sendRaw(Requests.request(body))
            let rawAnswer = try await raw.response()
            try await fast.sendRaw(Requests.request(body))
            let fastAnswer = try await fast.response()
            try await routed.sendRaw(Requests.request(body, chunked: true))
            let routedAnswer = try await routed.response()
            #expect(rawAnswer.raw == routedAnswer.raw)
            #expect(fastAnswer.raw == routedAnswer.raw)
        }
        #expect(Self.unparsed(server) == Double(bodies.count))
        #expect(Self.handedOver(server) == 2)
        let registry = server.hbbs.services.metrics.registry
        #expect(registry.value("hbbs_api_requests_total", ["route": "/api/heartbeat", "status": "200"]) == 12)
        #expect(registry.value("hbbs_api_requests_total", ["route": "/api/heartbeat", "status": "400"]) == 6)
        for http in [raw, fast, routed] { await http.close() }
        await server.stop()
    }

    @Test func theConnectionMovesToHTTPAtTheFirstOtherRequest() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let beat = Requests.request(Requests.body(device))
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        for _ in 0..<2 {
            try await http.sendRaw(beat)
            #expect(try await http.response().text == #"{"sysinfo":true}"#)
        }
        #expect(Self.handedOver(server) == 0)
        try await http.sendRaw(Requests.loginOptions)
        #expect(try await http.response().text.hasPrefix("["))
        try await http.sendRaw(beat)
        #expect(try await http.response().text == #"{"sysinfo":true}"#)
        #expect(Self.unparsed(server) == 2)
        #expect(Self.handedOver(server) == 1)
        #expect(http.isOpen)
        await http.close()
        await server.stop()
    }

    /// Several requests in one write, the first heartbeat needing a commit: answered in order, the
    /// bytes after the last heartbeat the front door took reach the HTTP pipeline intact.
    @Test func pipelinedRequestsKeepTheirOrderAcrossTheHandOver() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let beat = Requests.request(Requests.body(device))
        let stranger = Requests.request(Requests.body(RegisteredTestDevice(id: "987654321", uuidBase64: "eA==")))
        let order = [beat, stranger, beat, Requests.loginOptions, beat, Requests.loginOptions]
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        try await http.sendRaw(order.joined())
        for request in order {
            let response = try await http.response()
            #expect(response.status == 200)
            switch request {
            case beat: #expect(response.text == #"{"sysinfo":true}"#)
            case stranger: #expect(response.text == "{}")
            default: #expect(response.text.hasPrefix("["))
            }
        }
        #expect(Self.unparsed(server) == 3)
        #expect(Self.handedOver(server) == 1)
        #expect(http.isOpen)
        await http.close()
        await server.stop()
    }

    /// A heartbeat whose body comes after its head, in another segment: the HTTP pipeline reads it.
    @Test func aHeartbeatInPiecesIsHandedOverAndAnswered() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let beat = Requests.request(Requests.body(device))
        guard let split = beat.range(of: "\r\n\r\n")?.upperBound else { throw TestTimeout(what: "a head") }
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        try await http.sendRaw(String(beat[..<split]))
        #expect(await poll(timeout: .seconds(15)) { Self.handedOver(server) == 1 })
        try await http.sendRaw(String(beat[split...]))
        #expect(try await http.response().text == #"{"sysinfo":true}"#)
        #expect(Self.unparsed(server) == 0)
        await http.close()
        await server.stop()
    }

    @Test func aConnectionIdleAfterItsHeartbeatsIsClosed() async throws {
        let server = try await APITestServer(limits: SlowClientTests.limits(idle: 300))
        let device = try await server.registerDevice()
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        try await http.sendRaw(Requests.request(Requests.body(device)))
        #expect(try await http.response().status == 200)
        #expect(await http.waitForClose(timeout: .seconds(30)))
        #expect(Self.handedOver(server) == 0)
        await server.stop()
    }

    /// Stopping the API closes connections that only sent heartbeats (long before their idle timeout),
    /// and the server finishes.
    @Test func stoppingClosesHeartbeatConnections() async throws {
        let server = try await APITestServer(limits: SlowClientTests.limits(idle: 600_000))
        let device = try await server.registerDevice()
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        try await http.sendRaw(Requests.request(Requests.body(device)))
        #expect(try await http.response().status == 200)
        server.api.server.close()
        #expect(await http.waitForClose(timeout: .seconds(20)))
        try await server.stopServing()
        await server.stop()
    }
}
