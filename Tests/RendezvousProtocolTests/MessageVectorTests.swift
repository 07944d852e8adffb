import Foundation
import SwiftProtobuf
import TestSupport
import Testing

@testable import RendezvousProtocol

/// The encoded examples of spec/messages.md §6 and wire.md §2.2/§5, byte for byte.
@Suite struct MessageVectorTests {
    static func message(_ build: (inout Hbb_RendezvousMessage) -> Void) -> Hbb_RendezvousMessage {
        var message = Hbb_RendezvousMessage()
        build(&message)
        return message
    }

    static let vectors: [(String, Hbb_RendezvousMessage, String)] = [
        (
            "RegisterPeer",
            message {
                $0.registerPeer = .with {
                    $0.id = "123456789"; $0.serial = 3
                }
            },
            "32 0d 0a 09 31 32 33 34 35 36 37 38 39 10 03"
        ),
        ("RegisterPeerResponse false", message { $0.registerPeerResponse = .init() }, "3a 00"),
        (
            "RegisterPeerResponse true", message { $0.registerPeerResponse = .with { $0.requestPk = true } },
            "3a 02 10 01"
        ),
        ("RegisterPkResponse OK", message { $0.registerPkResponse = .with { $0.result = .ok } }, "82 01 00"),
        (
            "RegisterPkResponse UUID_MISMATCH", message { $0.registerPkResponse = .with { $0.result = .uuidMismatch } },
            "82 01 02 08 02"
        ),
        (
            "RegisterPkResponse TOO_FREQUENT", message { $0.registerPkResponse = .with { $0.result = .tooFrequent } },
            "82 01 02 08 04"
        ),
        (
            "RegisterPkResponse NOT_SUPPORT", message { $0.registerPkResponse = .with { $0.result = .notSupport } },
            "82 01 02 08 06"
        ),
        (
            "PunchHoleResponse ID_NOT_EXIST",
            message { $0.punchHoleResponse = .with { $0.failure = .idNotExist } }, "5a 00"
        ),
        (
            "PunchHoleResponse OFFLINE", message { $0.punchHoleResponse = .with { $0.failure = .offline } },
            "5a 02 18 02"
        ),
        (
            "PunchHoleResponse LICENSE_MISMATCH",
            message { $0.punchHoleResponse = .with { $0.failure = .licenseMismatch } }, "5a 02 18 03"
        ),
        ("TestNatRequest", message { $0.testNatRequest = .with { $0.serial = 3 } }, "a2 01 02 08 03"),
        ("TestNatResponse", message { $0.testNatResponse = .with { $0.port = 51234 } }, "aa 01 04 08 a2 90 03"),
        (
            "OnlineRequest",
            message {
                $0.onlineRequest = .with {
                    $0.id = "111111111"
                    $0.peers = ["a1b2c3", "d4e5f6", "777888999"]
                }
            },
            "ba 01 26 0a 09 31 31 31 31 31 31 31 31 31 12 06 61 31 62 32 63 33 12 06 64 34 65 35 66 36 12 09"
                + " 37 37 37 38 38 38 39 39 39"
        ),
        ("OnlineResponse", message { $0.onlineResponse = .with { $0.states = Data([0xa0]) } }, "c2 01 03 0a 01 a0"),
        (
            "ConfigUpdate",
            message {
                $0.configureUpdate = .with {
                    $0.serial = 5
                    $0.rendezvousServers = ["rs.example.com"]
                }
            },
            "72 12 08 05 12 0e 72 73 2e 65 78 61 6d 70 6c 65 2e 63 6f 6d"
        ),
        (
            "RequestRelay",
            message {
                $0.requestRelay = .with {
                    $0.uuid = "u"; $0.licenceKey = "k"
                }
            },
            "92 01 06 12 01 75 32 01 6b"
        ),
    ]

    @Test(arguments: vectors)
    func encodesExample(name: String, message: Hbb_RendezvousMessage, expected: String) throws {
        let bytes: [UInt8] = try message.serializedBytes()
        #expect(hexString(bytes) == hexString(hex(expected)), "\(name)")
    }

    @Test(arguments: vectors)
    func decodesExample(name: String, message: Hbb_RendezvousMessage, encoded: String) throws {
        #expect(try Hbb_RendezvousMessage(serializedBytes: hex(encoded)) == message, "\(name)")
    }

    @Test func idPkPayloadMatchesSignedBlobVector() throws {
        let idPk = Hbb_IdPk.with {
            $0.id = "123456789"
            $0.pk = Data(repeating: 0x11, count: 32)
        }
        let bytes: [UInt8] = try idPk.serializedBytes()
        #expect(bytes == hex("0a 09 31 32 33 34 35 36 37 38 39 12 20") + [UInt8](repeating: 0x11, count: 32))
    }

    @Test func oneofCasesUseSpecFieldNumbers() throws {
        // Each envelope case's tag: field number << 3 | 2, as a varint.
        let cases: [(Int, Hbb_RendezvousMessage)] = [
            (6, Self.message { $0.registerPeer = .init() }), (9, Self.message { $0.punchHole = .init() }),
            (10, Self.message { $0.punchHoleSent = .init() }), (12, Self.message { $0.fetchLocalAddr = .init() }),
            (13, Self.message { $0.localAddr = .init() }), (15, Self.message { $0.registerPk = .init() }),
            (17, Self.message { $0.softwareUpdate = .init() }), (19, Self.message { $0.relayResponse = .init() }),
            (22, Self.message { $0.peerDiscovery = .init() }), (25, Self.message { $0.keyExchange = .init() }),
            (26, Self.message { $0.hc = .init() }), (27, Self.message { $0.httpProxyRequest = .init() }),
            (28, Self.message { $0.httpProxyResponse = .init() }),
        ]
        for (field, message) in cases {
            let bytes: [UInt8] = try message.serializedBytes()
            let tag = field << 3 | 2
            let expectedTag: [UInt8] = tag < 128 ? [UInt8(tag)] : [UInt8(tag & 0x7F | 0x80), UInt8(tag >> 7)]
            #expect(Array(bytes.prefix(expectedTag.count)) == expectedTag, "case \(field)")
        }
    }

    @Test func innerOneofsUseSpecFieldNumbers() throws {
        let local: [UInt8] = try Hbb_PunchHoleResponse.with { $0.isLocal = true }.serializedBytes()
        #expect(local == [0x30, 0x01])  // field 6, varint
        let nat: [UInt8] = try Hbb_PunchHoleResponse.with { $0.natType = .symmetric }.serializedBytes()
        #expect(nat == [0x28, 0x02])  // field 5
        let pk: [UInt8] = try Hbb_RelayResponse.with { $0.pk = Data([1]) }.serializedBytes()
        #expect(pk == [0x2a, 0x01, 0x01])  // field 5, bytes
        let id: [UInt8] = try Hbb_RelayResponse.with { $0.id = "a" }.serializedBytes()
        #expect(id == [0x22, 0x01, 0x61])  // field 4
    }

    @Test func unknownFieldsSurviveReserialization() throws {
        // A newer client's RequestRelay with an unknown field 99 must pass through forwarding unchanged.
        // RequestRelay{uuid="u", licence_key="k"} plus field 99 (varint 7) that this schema lacks.
        let withUnknown = hex("92 01 09 12 01 75 32 01 6b 98 06 07")
        let message = try Hbb_RendezvousMessage(serializedBytes: withUnknown)
        #expect(try message.serializedBytes() == withUnknown)
    }

    @Test func emptyPayloadIsMessageWithNoCase() throws {
        #expect(try Hbb_RendezvousMessage(serializedBytes: [UInt8]()).union == nil)
    }

    @Test func randomBytesNeverTrap() {
        var state: UInt64 = 99
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let count = Int(state >> 59)
            var bytes: [UInt8] = []
            for index in 0..<count {
                bytes.append(UInt8(truncatingIfNeeded: state >> (index % 8 * 8)) ^ UInt8(truncatingIfNeeded: index))
            }
            _ = try? Hbb_RendezvousMessage(serializedBytes: bytes)
        }
    }
}
