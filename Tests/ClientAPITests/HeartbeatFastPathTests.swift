import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import ClientAPI

/// The heartbeat's event-loop paths (`HeartbeatFrontDoor`, then `HeartbeatFastPath` once a connection
/// carries other requests) through the real wire: answers stay in request order whether requests come
/// one by one or pipelined, and what they do not take reaches Hummingbird as before. Their answers are
/// compared byte for byte with the router's in `HeartbeatFrontDoorTests`.
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
