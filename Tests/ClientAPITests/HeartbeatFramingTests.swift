import Testing

@testable import ClientAPI

/// What `HeartbeatFraming` takes from raw bytes: only complete, plain heartbeats that the HTTP
/// pipeline would take the same way; everything else is left to that pipeline.
@Suite struct HeartbeatFramingTests {
    static let limits = HeartbeatFraming.Limits(maxHeadBytes: 1024, maxFields: 8, maxBodyBytes: 64)

    static func request(_ text: String, limits: HeartbeatFraming.Limits = limits) -> HeartbeatFraming.Request? {
        Array(text.utf8).withUnsafeBytes { HeartbeatFraming.request(in: $0, limits: limits) }
    }

    static func beat(_ fields: String = "Host: h\r\nContent-Length: 2\r\n", target: String = "/api/heartbeat")
        -> String
    {
        "POST \(target) HTTP/1.1\r\n\(fields)\r\n{}"
    }

    @Test func takesPlainHeartbeats() {
        let plain = Self.beat()
        #expect(Self.request(plain) == .init(headLength: plain.utf8.count - 2, bodyLength: 2))
        #expect(Self.request(Self.beat("content-length:2\r\nCONNECTION: Keep-Alive \r\n"))?.bodyLength == 2)
        #expect(Self.request(Self.beat("Content-Length: \t2\t\r\nX-Any: a b\tc\r\nAccept: */*\r\n"))?.bodyLength == 2)
        #expect(Self.request(Self.beat(target: "/api/heartbeat?a=1&b=%2F:@/?x"))?.bodyLength == 2)
        let empty = "POST /api/heartbeat HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(Self.request(empty) == .init(headLength: empty.utf8.count, bodyLength: 0))
        // Pipelined: the first request only.
        #expect(Self.request(Self.beat() + Self.beat())?.totalLength == Self.beat().utf8.count)
    }

    @Test(arguments: [
        "GET /api/heartbeat HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /api/heartbeats HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /api/heartbeat/ HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /api/heartbeat HTTP/1.0\r\nHost: h\r\n\r\n",
        "POST  /api/heartbeat HTTP/1.1\r\nHost: h\r\n\r\n",
        "post /api/heartbeat HTTP/1.1\r\nHost: h\r\n\r\n",
        beat("Transfer-Encoding: chunked\r\n"),
        beat("Content-Length: 2\r\nExpect: 100-continue\r\n"),
        beat("Content-Length: 2\r\nUpgrade: websocket\r\n"),
        beat("Content-Length: 2\r\nConnection: close\r\n"),
        beat("Content-Length: 2\r\nConnection: keep-alive, Upgrade\r\n"),
        beat("Content-Length: 2\r\nContent-Length: 2\r\n"),
        beat("Content-Length: 2\r\nHost: a\r\nHost: b\r\n"),
        beat("Content-Length: +2\r\n"),
        beat("Content-Length: 0x2\r\n"),
        beat("Content-Length: \r\n"),
        beat("Content-Length: 65\r\n"),
        beat("Content-Length : 2\r\n"),
        beat(" Content-Length: 2\r\n"),
        beat("Content-Length: 2\nHost: h\r\n"),
        beat("Content-Length: 2\r\nX: caf\u{E9}\r\n"),
        beat("Content-Length: 2\r\nX: a\u{7}\r\n"),
        beat("Content-Length: 2\r\nX\r\n"),
        beat("Content-Length: 2\r\nX: 1\r\n Folded\r\n"),
        beat(target: "/api/heartbeat?a=<b>"),
        beat(target: "/api/heartbeat?a=%zz"),
        beat(target: "/api/heartbeat?a=%2"),
        beat(target: "/api/heartbeat#x"),
        // Incomplete: the body, then the head.
        "POST /api/heartbeat HTTP/1.1\r\nContent-Length: 3\r\n\r\n{}",
        "POST /api/heartbeat HTTP/1.1\r\nContent-Length: 2\r\n",
        "POST /api/heart",
        "",
    ])
    func leavesEverythingElseToHTTP(_ text: String) {
        #expect(Self.request(text) == nil)
    }

    @Test func respectsTheHeadLimits() {
        let fields = (1...8).map { "X-\($0): v\r\n" }.joined()
        #expect(Self.request(Self.beat(fields)) != nil)
        #expect(Self.request(Self.beat(fields + "X-9: v\r\n")) == nil)
        let long = Self.beat("X: \(String(repeating: "v", count: 1_000))\r\n")
        #expect(Self.request(long) == nil)
        var roomy = Self.limits
        roomy.maxHeadBytes = 2048
        #expect(Self.request(long, limits: roomy) != nil)
    }
}
