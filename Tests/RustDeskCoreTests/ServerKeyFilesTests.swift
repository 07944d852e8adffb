import RustDeskCore
import TestSupport
import Testing

struct ServerKeyFilesTests {
    typealias Support = ServerKeyTestSupport
    static let secretName = ServerKeyFiles.secretKeyFileName
    static let publicName = ServerKeyFiles.publicKeyFileName

    @Test func loadWithoutFilesGivesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try ServerKeyFiles(directory: directory.path).load() == nil)
        #expect(try directory.contents().isEmpty)
    }

    @Test func generateWritesBothFilesThenLoadReadsThemBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let files = ServerKeyFiles(directory: directory.path)
        let (key, generated) = try files.loadOrGenerate()
        #expect(generated)
        #expect(try directory.contents() == [Self.secretName, Self.publicName])
        #expect(try directory.read(Self.publicName) == key.publicKeyString)
        #expect(try directory.read(Self.secretName) == key.secretKeyString)
        #expect(!key.publicKeyString.contains("/") && !key.publicKeyString.contains(":"))
        #expect(try directory.permissions(Self.secretName) == 0o600)
        #expect(try directory.permissions(Self.publicName) == 0o644)

        let again = try files.loadOrGenerate()
        #expect(!again.generated)
        #expect(again.key == key)
        #expect(try files.load() == key)
    }

    @Test func loadsTheTestKeyFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.writeTestKeyFiles()
        let key = try ServerKeyFiles(directory: directory.path).load()
        #expect(key?.secretKey == Support.testSecretKey)
        #expect(key?.publicKeyString == Support.testPublicKeyFile)
    }

    @Test(arguments: [
        Support.testSecretKeyFile + "\n", "  " + Support.testSecretKeyFile + "\r\n\t",
        String(Support.testSecretKeyFile.dropLast(2)),
    ])
    func toleratesWhitespaceAndMissingPadding(contents: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Self.secretName, contents)
        #expect(try ServerKeyFiles(directory: directory.path).load()?.secretKey == Support.testSecretKey)
    }

    @Test func aMissingPublicKeyFileIsFine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Self.secretName, Support.testSecretKeyFile)
        #expect(try ServerKeyFiles(directory: directory.path).load()?.publicKeyString == Support.testPublicKeyFile)
        #expect(!directory.exists(Self.publicName))
    }

    @Test(arguments: [
        "", "not base64 at all!", Support.testPublicKeyFile, Support.testSecretKeyFile + "AAAA",
        String(repeating: "A", count: 5000),
    ])
    func malformedSecretFileIsFatal(contents: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Self.secretName, contents)
        let files = ServerKeyFiles(directory: directory.path)
        #expect(throws: ServerKeyError.malformedPrivateKey) { try files.load() }
        #expect(throws: ServerKeyError.malformedPrivateKey) { try files.loadOrGenerate() }
        #expect(try directory.read(Self.secretName) == contents)
    }

    @Test func secretWhosePublicHalfDoesNotMatchItsSeedIsFatal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var secret = Support.testSecretKey
        secret[40] ^= 0x80
        try directory.write(Self.secretName, Base64.encode(secret))
        #expect(throws: ServerKeyError.inconsistentPrivateKey) {
            try ServerKeyFiles(directory: directory.path).load()
        }
    }

    @Test(arguments: ["", "garbage", "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbA="])
    func publicKeyFileThatDoesNotMatchIsFatal(contents: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Self.secretName, Support.testSecretKeyFile)
        try directory.write(Self.publicName, contents)
        #expect(throws: ServerKeyError.publicKeyFileMismatch(expectedPublicKey: Support.testPublicKeyFile)) {
            try ServerKeyFiles(directory: directory.path).load()
        }
    }

    @Test func publicKeyFileIsComparedByBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Self.secretName, Support.testSecretKeyFile)
        try directory.write(Self.publicName, String(Support.testPublicKeyFile.dropLast()) + "\n")
        #expect(try ServerKeyFiles(directory: directory.path).load()?.secretKey == Support.testSecretKey)
    }

    @Test func writeFailureIsReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let files = ServerKeyFiles(directory: directory.file("missing-subdirectory"))
        #expect(throws: ServerKeyError.self) { try files.generate() }
        do {
            _ = try files.generate()
        } catch {
            guard case .writeFailed(let path, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == files.publicKeyPath)
        }
    }

    @Test func concurrentGenerationAgreesOnOneKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path
        let keys = try await withThrowingTaskGroup(of: ServerKey.self) { group in
            for _ in 0..<6 {
                group.addTask { try ServerKeyFiles(directory: path).generate() }
            }
            return try await group.reduce(into: [ServerKey]()) { $0.append($1) }
        }
        let onDisk = try ServerKeyFiles(directory: path).load()
        #expect(Set(keys.map(\.publicKeyString)).count == 1)
        #expect(keys.first == onDisk)
        #expect(try directory.contents() == [Self.secretName, Self.publicName])
    }

    @Test func pathsJoinTheDirectory() {
        #expect(ServerKeyFiles(directory: "/data").secretKeyPath == "/data/id_ed25519")
        #expect(ServerKeyFiles(directory: "/data/").publicKeyPath == "/data/id_ed25519.pub")
        #expect(ServerKeyFiles(directory: "").secretKeyPath == "./id_ed25519")
    }
}
