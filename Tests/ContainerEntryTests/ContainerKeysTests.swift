import ContainerEntry
import RustDeskCore
import TestSupport
import Testing

struct ContainerKeysTests {
    private func keys(_ directory: TemporaryDirectory, _ environment: [String: String] = [:], secret: String? = nil)
        -> ContainerKeys
    {
        ContainerKeys(directory: directory.path, environment: environment, secretPublic: nil, secretPrivate: secret)
    }

    @Test func nothingGivenAndNoFilesLeavesGenerationToHbbs() throws {
        let directory = try TemporaryDirectory()
        #expect(try keys(directory).prepare() == nil)
        #expect(try directory.contents().isEmpty)
    }

    @Test func aGivenPairIsWrittenAsTheServersWouldWriteIt() throws {
        let directory = try TemporaryDirectory()
        let key = try ServerKey.generate()
        let environment = ["KEY_PUB": key.publicKeyString + "\n", "KEY_PRIV": key.secretKeyString]
        #expect(try keys(directory, environment).prepare() == .written(publicKey: key.publicKeyString))
        #expect(try ServerKeyFiles(directory: directory.path).load() == key)
        #expect(try directory.permissions("id_ed25519") == 0o600)
        // The next start finds the same pair and keeps it.
        #expect(try keys(directory, environment).prepare() == .kept(publicKey: key.publicKeyString))
    }

    @Test func aDockerSecretCountsLikeTheVariable() throws {
        let directory = try TemporaryDirectory()
        let key = try ServerKey.generate()
        #expect(try keys(directory, secret: key.secretKeyString).prepare() == .written(publicKey: key.publicKeyString))
    }

    @Test func halfAPairIsRefused() throws {
        let directory = try TemporaryDirectory()
        let key = try ServerKey.generate()
        #expect(throws: ContainerError.keyPairIncomplete(missing: "private key (KEY_PRIV)")) {
            try keys(directory, ["KEY_PUB": key.publicKeyString]).prepare()
        }
        try directory.write("id_ed25519.pub", key.publicKeyString)
        #expect(throws: ContainerError.keyPairIncomplete(missing: "private key file id_ed25519")) {
            try keys(directory).prepare()
        }
    }

    @Test func keysThatDisagreeStopTheStart() throws {
        let directory = try TemporaryDirectory()
        let key = try ServerKey.generate()
        let other = try ServerKey.generate()
        #expect(throws: ContainerError.keysDisagree("KEY_PUB is not the public half of KEY_PRIV")) {
            try keys(directory, ["KEY_PUB": other.publicKeyString, "KEY_PRIV": key.secretKeyString]).prepare()
        }
        _ = try ServerKeyFiles(directory: directory.path).install(key)
        #expect(throws: ContainerError.self) { try keys(directory, ["KEY_PRIV": other.secretKeyString]).prepare() }
        #expect(throws: ContainerError.self) { try keys(directory, ["KEY_PUB": other.publicKeyString]).prepare() }
        #expect(
            try keys(directory, ["KEY_PUB": key.publicKeyString]).prepare() == .kept(publicKey: key.publicKeyString))
        #expect(try ServerKeyFiles(directory: directory.path).load() == key)
    }

    @Test func malformedKeysAreNamed() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: ContainerError.malformedKey(source: "KEY_PRIV")) {
            try keys(directory, ["KEY_PRIV": "bm90IGEga2V5"]).prepare()
        }
        let key = try ServerKey.generate()
        #expect(throws: ContainerError.malformedKey(source: "KEY_PUB")) {
            try keys(directory, ["KEY_PRIV": key.secretKeyString, "KEY_PUB": "short"]).prepare()
        }
        #expect(try directory.contents().isEmpty)
    }
}
