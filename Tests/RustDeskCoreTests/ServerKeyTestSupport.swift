import Foundation
import RustDeskCore
import TestSupport

/// Fixtures shared by the ServerKey and Sodium tests: the test key of utils.md §3, hex, temporary directories.
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

/// A fresh directory per test (tests run in parallel), removed by `remove()`.
struct ServerKeyTemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("serverkey-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ contents: String) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file(name)))
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: file(name), encoding: .utf8)
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    func permissions(_ name: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file(name))
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Writes the utils.md §3 test key pair as the servers would.
    func writeTestKeyFiles() throws {
        try write(ServerKeyFiles.publicKeyFileName, ServerKeyTestSupport.testPublicKeyFile)
        try write(ServerKeyFiles.secretKeyFileName, ServerKeyTestSupport.testSecretKeyFile)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
