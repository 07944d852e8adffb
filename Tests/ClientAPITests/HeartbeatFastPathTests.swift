import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import ClientAPI

/// `HeartbeatFastPath` through the real wire: its answers are the router's byte for byte (the router's
/// are forced with `Transfer-Encoding: chunked`, which the fast path never takes), answers stay in
/// request order whether requests come one by one or pipelined, and what it does not take reaches
/// Hummingbird as before.
@Suite struct HeartbeatFastPathTests {
    static func body(_ device: RegisteredTestDevice, modifiedAt: Int64 = 0) -> String {
        #"{"id":"\#(device.id)","uuid":"\#(device.uuidBase64)","ver":1004090,"conns":[],"modified_at":\#(modifiedAt)}"#
    }

    /// A heartbeat with Content-Length (fast path), or chunked (the router).
    static func request(_ body: String, chunked: Bool = false, headers: String = "") -> String {
        let head = "POST /api/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\(headers)"
        if chunked {
            let size = String(body.utf8.count, radix: 16)
            let chunk = body.isEmpty ? "" : "\(size)\r\n\(body)\r\n"
            return head + "Transfer-Encoding: chunked\r\n\r\n\(chunk)0\r\n\r\n"
        }
        return head + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    static let loginOptions = "GET /api/login-options HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    static func expectSame(_ fast: HTTPTestResponse, _ routed: HTTPTestResponse) {
        #expect(fast.statusLine == routed.statusLine)
        #expect(fast.headers.map { "\($0.name): \($0.value)" } == routed.headers.map { "\($0.name): \($0.value)" })
        #expect(fast.body == routed.body)
    }

    @Test func answersAreTheRoutersByteForByte() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        let stranger = RegisteredTestDevice(id: "987654321", uuidBase64: device.uuidBase64)
        for body in [Self.body(device), Self.body(stranger), "", "{not json", #"{"id":5}"#] {
            try await http.sendRaw(Self.request(body))
            let fast = try await http.response()
            try await http.sendRaw(Self.request(body, chunked: true))
            let routed = try await http.response()
            Self.expectSame(fast, routed)
        }
        try await http.sendRaw(Self.request(Self.body(device)))
        let sysinfo = try await http.response()
        #expect(sysinfo.status == 200)
        #expect(sysinfo.header("Content-Type") == "application/json; charset=utf-8")
        #expect(sysinfo.text == #"{"sysinfo":true}"#)
        try await http.sendRaw(Self.request("{not json"))
        let malformed = try await http.response()
        #expect(malformed.status == 400)
        #expect(malformed.text == #"{"error":"Invalid request body"}"#)
        let registry = server.hbbs.services.metrics.registry
        #expect(registry.value("hbbs_api_requests_total", ["route": "/api/heartbeat", "status": "200"]) == 9)
        #expect(registry.value("hbbs_api_requests_total", ["route": "/api/heartbeat", "status": "400"]) == 3)
        await http.close()
        await server.stop()
    }

    @Test func theHeartbeatIsRecordedAndAnsweredAfterSysinfo() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        _ = try await client.sysinfo(device)
        server.wallClock.advance(seconds: 15)
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        try await http.sendRaw(Self.request(Self.body(device)))
        #expect(try await http.response().text == "{}")
        #expect(try await server.deviceService.device(id: device.id)?.lastHeartbeatAt == server.wallClock.seconds)
        await http.close()
        await client.close()
        await server.stop()
    }

    @Test func keepAliveMixesHeartbeatsAndOtherRoutesInOrder() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        for _ in 0..<3 {
            try await http.sendRaw(Self.request(Self.body(device)))
            #expect(try await http.response().text == #"{"sysinfo":true}"#)
            try await http.sendRaw(Self.loginOptions)
            let options = try await http.response()
            #expect(options.status == 200)
            #expect(options.text.hasPrefix("["))
        }
        #expect(http.isOpen)
        await http.close()
        await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        let beat = Self.request(Self.body(device))
        let orders = [
            [beat, Self.loginOptions], [Self.loginOptions, beat], [beat, beat, Self.loginOptions, beat],
            [Self.loginOptions, Self.loginOptions, beat, beat],
        ]
        for order in orders {
            try await http.sendRaw(order.joined())
            for request in order {
                let response = try await http.response()
                #expect(response.status == 200)
                if request == beat {
                    #expect(response.text == #"{"sysinfo":true}"#)
                } else {
                    #expect(response.text.hasPrefix("["))
                }
            }
        }
        #expect(http.isOpen)
        await http.close()
        await server.stop()
    }

    @Test func oversizedBodiesGoToTheRouter() async throws {
        let server = try await APITestServer()
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        let large = String(repeating: " ", count: BodyLimit.json + 1)
        try await http.sendRaw(Self.request(large))
        let response = try await http.response()
        #expect(response.status == 413)
        #expect(response.text == #"{"error":"Request body too large"}"#)
        await http.close()
        await server.stop()
    }

    @Test func connectionCloseIsHonoured() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let http = try await HTTPTestClient.connect(port: server.apiPort)
        try await http.sendRaw(Self.request(Self.body(device), headers: "Connection: close\r\n"))
        #expect(try await http.response().text == #"{"sysinfo":true}"#)
        #expect(await http.waitForClose())
        await server.stop()
    }

    @Test func onlyPlainHeartbeatsAreTaken() throws {
        func head(_ method: HTTPRequest.Method = .post, _ path: String = "/api/heartbeat", _ fields: HTTPFields = [:])
            -> HTTPRequest
        {
            HTTPRequest(method: method, scheme: nil, authority: "h", path: path, headerFields: fields)
        }
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeat", [.contentLength: "12"])) == 12)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeat?x=1", [.contentLength: "2"])) == 2)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head()) == 0)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeat", [.connection: "keep-alive"])) == 0)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.get)) == nil)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeats")) == nil)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeat/")) == nil)
        #expect(
            HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeat", [.transferEncoding: "chunked"])) == nil)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeat", [.connection: "close"])) == nil)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeat", [.expect: "100-continue"])) == nil)
        let tooLong = head(.post, "/api/heartbeat", [.contentLength: "\(BodyLimit.json + 1)"])
        #expect(HeartbeatFastPath.bodyLength(ifTaken: tooLong) == nil)
        #expect(HeartbeatFastPath.bodyLength(ifTaken: head(.post, "/api/heartbeat", [.contentLength: "x"])) == nil)
    }
}
