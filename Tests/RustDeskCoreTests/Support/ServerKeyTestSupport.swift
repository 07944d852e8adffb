import Foundation
import RustDeskCore
import TestSupport

/// Fixtures shared by the ServerKey and Sodium tests: the test key of utils.md §3, hex, and the key files in a `TemporaryDirectory`.
enum ServerKeyTestSupport {
    static let testSeed = [UInt8](0...0x1F)
    static let testPublicKeyHex = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
    static let testPublicKeyFile = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
    static let testSecretKeyFile =
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8DoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA=="

    static var testSecretKey: [UInt8] { testSeed + hex(testPublicKeyHex) }

    /// Bytes from hex text; spaces are ignored so spec vectors can be pasted as they are.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap { UInt8(String(digits[$0...$0 + 1]), radix: 16) }
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

extension TemporaryDirectory {
    /// Writes the utils.md §3 test key pair as the servers would.
    func writeTestKeyFiles() throws {
        try write(ServerKeyFiles.publicKeyFileName, ServerKeyTestSupport.testPublicKeyFile)
        try write(ServerKeyFiles.secretKeyFileName, ServerKeyTestSupport.testSecretKeyFile)
    }
}
