import RustDeskCore
import Testing

/// The per-connection state machine of secure TCP on hbbs PORT (wire.md §4.3, §4.4).
struct SecureChannelServerTests {
    typealias Vectors = SodiumVectorTests

    private func machine() throws -> SecureChannelServer {
        SecureChannelServer(handshake: try SecureChannelTests.vectorServer())
    }

    private let reply = SecureChannelServer.FirstUnit.keyExchange(keys: [
        Vectors.clientBoxPublic, Vectors.sealedSessionKey,
    ])

    @Test func offerIsTheSignedBoxKey() throws {
        #expect(try machine().offer == SecureChannelTests.signedServerBoxKey)
        #expect(try machine().mode == .offered)
    }

    @Test func keyExchangeReplySecuresBothDirections() throws {
        var server = try machine()
        #expect(server.receive([0xAA], classify: { _ in reply }) == .consumed)
        #expect(server.mode == .secured)
        var client = try SecureChannelCipher(key: Vectors.sessionKey)
        let sealed = try client.seal([0x3A, 0x02, 0x10, 0x01])
        var classified = false
        let inbound = server.receive(sealed) { _ in
            classified = true
            return .other
        }
        #expect(inbound == .deliver([0x3A, 0x02, 0x10, 0x01]))
        #expect(!classified)
        #expect(try client.open(try server.send([1, 2, 3])) == [1, 2, 3])
        // Heartbeats: plaintext both ways, no counter consumed.
        #expect(try server.send([]) == [])
        #expect(server.receive([], classify: { _ in .unparsable }) == .deliver([]))
        #expect(server.receive(try client.seal([4, 4]), classify: { _ in .unparsable }) == .deliver([4, 4]))
    }

    @Test func otherFirstUnitMeansPlaintextForever() throws {
        var server = try machine()
        #expect(server.receive([1, 2], classify: { _ in .other }) == .deliver([1, 2]))
        #expect(server.mode == .plaintext)
        #expect(server.receive([3, 4], classify: { _ in reply }) == .deliver([3, 4]))
        #expect(try server.send([5, 6]) == [5, 6])
    }

    @Test func macFailureIsFatalAndSticky() throws {
        var server = try machine()
        _ = server.receive([], classify: { _ in reply })
        var client = try SecureChannelCipher(key: Vectors.sessionKey)
        let first = try client.seal([1, 1])
        #expect(server.receive(first, classify: { _ in .other }) == .deliver([1, 1]))
        #expect(server.receive(first, classify: { _ in .other }) == .fail(.decryptionFailed))
        #expect(server.mode == .failed)
        #expect(server.receive(try client.seal([2, 2]), classify: { _ in .other }) == .fail(.connectionFailed))
        #expect(throws: SecureChannelError.connectionFailed) { try server.send([1]) }
    }

    @Test(arguments: [
        (SecureChannelServer.FirstUnit.unparsable, SecureChannelError.malformedReply),
        (.keyExchange(keys: []), .wrongKeyCount(0)),
        (.keyExchange(keys: [[UInt8](repeating: 1, count: 96)]), .wrongKeyCount(1)),
        (.keyExchange(keys: [Vectors.clientBoxPublic, [UInt8](repeating: 0, count: 48)]), .decryptionFailed),
    ])
    func badFirstUnitsFail(first: SecureChannelServer.FirstUnit, error: SecureChannelError) throws {
        var server = try machine()
        #expect(server.receive([0], classify: { _ in first }) == .fail(error))
        #expect(server.mode == .failed)
    }
}
