import APICore
import Foundation
import NIOCore
import TestSupport
import Testing

@testable import ClientAPI

/// `HeartbeatJSON` gives exactly what Foundation's decoding of `HeartbeatBody` gives, or nil (and
/// Foundation decides): checked on the bodies clients send, on edge cases, and on thousands of
/// seeded random mutations of a real body.
@Suite struct HeartbeatJSONTests {
    static let clientBody =
        #"{"id":"123456789","uuid":"MTIzNDU2Nzg5MGFiY2RlZg==","ver":1004090,"conns":[1,2],"modified_at":0}"#

    static func fast(_ bytes: [UInt8]) -> Heartbeat? {
        bytes.withUnsafeBytes { HeartbeatJSON.heartbeat(in: $0) }
    }

    static func foundation(_ bytes: [UInt8]) -> Heartbeat? {
        try? JSONBody.decode(HeartbeatBody.self, from: ByteBuffer(bytes: bytes)).heartbeat
    }

    /// Whenever the scanner answers, Foundation answers the same.
    static func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let fast = fast(bytes) else { return }
        #expect(
            fast == foundation(bytes), "\(String(decoding: bytes, as: UTF8.self).debugDescription)",
            sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        clientBody,
        #"{"id":"1","uuid":"u"}"#,
        #"  {  "id" : "1" , "uuid" : "u" , "ver" : "1004090" , "modified_at" : "-5" }  "#,
        #"{"id":123,"uuid":null,"ver":null,"conns":null,"modified_at":9223372036854775807}"#,
        #"{"id":-9223372036854775808,"ver":-0,"conns":[2147483648,-1,0,-2147483649]}"#,
        #"{"conns":[]}"#,
        #"{}"#,
        "",
        " \n\t",
        #"{"id":"1","extra":{"a":[1,2.5,-3e+7,true,false,null,{"b":"c"}],"d":[]},"more":0.5e-3}"#,
        #"{"ver":"abc","modified_at":"1.5"}"#,
        #"{"x":1,"x":2,"id":"1"}"#,
    ])
    func readsWhatClientsSend(_ body: String) {
        let bytes = Array(body.utf8)
        #expect(Self.fast(bytes) != nil)
        #expect(Self.fast(bytes) == Self.foundation(bytes))
    }

    @Test(arguments: [
        #"{"id":"a\"b"}"#,
        #"{"id":"caf\#u{E9}"}"#,
        #"{"id":1.0}"#,
        #"{"ver":1e3}"#,
        #"{"ver":9223372036854775808}"#,
        #"{"id":true}"#,
        #"{"id":["1"]}"#,
        #"{"conns":[1,"2"]}"#,
        #"{"conns":[1.5]}"#,
        #"{"conns":{}}"#,
        #"{"id":"1","id":"2"}"#,
        #"{"id":01}"#,
        #"{"x":01}"#,
        #"{"x":-}"#,
        #"{"x":1.}"#,
        #"{"x":tru}"#,
        #"{"id":"1",}"#,
        #"{"id":"1"} x"#,
        #"["id"]"#,
        #"{"id":"1""#,
        #"{"x":\#(String(repeating: "[", count: 40))\#(String(repeating: "]", count: 40))}"#,
    ])
    func leavesTheRestToFoundation(_ body: String) {
        #expect(Self.fast(Array(body.utf8)) == nil)
    }

    @Test func agreesWithFoundationOnRandomMutations() {
        var random = SplitMix64(seed: 0x5EED_1234)
        let alphabet = Array(#"{}[]",:-0123456789.eE+ \ntruefalsnul"\#u{7F}"#.utf8) + [0x00, 0xC3, 0xA9]
        var answered = 0
        for _ in 0..<20_000 {
            var bytes = Array(Self.clientBody.utf8)
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let index = Int(random.next() % UInt64(bytes.count))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0: bytes[index] = byte
                case 1: bytes.insert(byte, at: index)
                default: bytes.remove(at: index)
                }
            }
            if Self.fast(bytes) != nil { answered += 1 }
            Self.expectAgreement(bytes)
        }
        // The mutations leave many bodies valid: the comparison is not vacuous.
        #expect(answered > 1_000)
    }
}
