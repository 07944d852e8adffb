import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import ClientAPI

/// The proxy's translation and bounds without a connection: request values to a Hummingbird request,
/// an answer back to values, and the time limit.
@Suite struct APIProxyTranslationTests {
    @Test func requestTakesMethodPathHeadersAndTheBodyLength() throws {
        let proxied = ProxiedHTTPRequest(
            method: "post", path: "/api/audit/conn?x=1",
            headers: [
                ProxiedHTTPHeader(name: "Content-Type", value: "application/json"),
                ProxiedHTTPHeader(name: "Content-Length", value: "999999"),
                ProxiedHTTPHeader(name: "Transfer-Encoding", value: "chunked"),
            ],
            body: Array("{}".utf8))
        let request = try #require(APIProxy.request(proxied, limits: .init()))
        #expect(request.method == .post)
        #expect(request.uri.path == "/api/audit/conn")
        #expect(request.uri.query == "x=1")
        #expect(request.headers[.contentType] == "application/json")
        #expect(request.headers[values: .contentLength] == ["2"])
        #expect(request.headers[.transferEncoding] == nil)
    }

    @Test func headerLimitsAreEnforced() {
        var limits = APIProxy.Limits()
        limits.maximumHeaders = 2
        limits.maximumHeaderBytes = 64
        let three = (0..<3).map { ProxiedHTTPHeader(name: "X-\($0)", value: "v") }
        #expect(APIProxy.request(.init(method: "GET", path: "/", headers: three), limits: limits) == nil)
        let long = [ProxiedHTTPHeader(name: "X-Long", value: String(repeating: "v", count: 64))]
        #expect(APIProxy.request(.init(method: "GET", path: "/", headers: long), limits: limits) == nil)
        let badName = [ProxiedHTTPHeader(name: "Bad Name", value: "v")]
        #expect(APIProxy.request(.init(method: "GET", path: "/", headers: badName), limits: limits) == nil)
        #expect(
            APIProxy.request(.init(method: "GET", path: "/", headers: Array(three.prefix(2))), limits: limits) != nil)
    }

    @Test func answerIsCollectedWithItsLength() async {
        let response = APIResponse.json(["error": "nope"], status: .badRequest)
        let answer = await APIProxy.collect(response, isHead: false, limit: 1024)
        #expect(answer.status == 400)
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"error":"nope"}"#)
        #expect(
            answer.headers.contains(ProxiedHTTPHeader(name: "Content-Type", value: "application/json; charset=utf-8")))
        #expect(answer.headers.contains(ProxiedHTTPHeader(name: "Content-Length", value: "16")))
        #expect(answer.error.isEmpty)
        let head = await APIProxy.collect(response, isHead: true, limit: 1024)
        #expect(head.body.isEmpty)
    }

    @Test func answerOverTheLimitIsNotCarried() async {
        let parts = (0..<4).map { _ in ByteBuffer(repeating: 0x61, count: 100) }
        let response = Response(status: .ok, body: ResponseBody(contentsOf: parts))
        let answer = await APIProxy.collect(response, isHead: false, limit: 399)
        #expect(answer.failure == .responseTooLarge)
        #expect(answer.error == "Response too large")
        #expect(answer.body.isEmpty)
    }

    @Test func slowWorkGivesTheFallbackInTime() async {
        let gate = Gate()
        let result = await Deadline.first(within: .milliseconds(50), otherwise: "late") {
            // Ignores cancellation, like a password hash on the thread pool: it ends only when the gate opens.
            await gate.wait()
            return "finished"
        }
        #expect(result == "late")
        gate.open()
        #expect(await Deadline.first(within: .seconds(60), otherwise: 0) { 7 } == 7)
    }

    /// Holds its waiter until `open()`, cancellation or not.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func wait() async {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.open { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }

        func open() {
            let waiter = state.withLock { state in
                state.open = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
