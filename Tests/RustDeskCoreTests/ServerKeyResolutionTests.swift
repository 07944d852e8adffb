import RustDeskCore
import Synchronization
import TestSupport
import Testing

struct ServerKeyResolutionTests {
    typealias Support = ServerKeyTestSupport

    // MARK: hbbs (hbbs.md §2.3)

    @Test(arguments: ["-", "_"])
    func hbbsDefaultGeneratesFilesAndEnforcesTheirPublicKey(key: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = try ServerKey.resolveForHbbs(key: key, directory: directory.path)
        #expect(settings.source == .generatedFiles)
        #expect(settings.licenceKey == (try directory.read(ServerKeyFiles.publicKeyFileName)))
        #expect(settings.signingSecretKey.map(Base64.encode) == (try directory.read(ServerKeyFiles.secretKeyFileName)))
        #expect(settings.warning == nil)
    }

    @Test(arguments: ["-", "_"])
    func hbbsDefaultLoadsExistingFiles(key: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.writeTestKeyFiles()
        let settings = try ServerKey.resolveForHbbs(key: key, directory: directory.path)
        #expect(settings.licenceKey == Support.testPublicKeyFile)
        #expect(settings.signingSecretKey == Support.testSecretKey)
        #expect(settings.source == .loadedFromFiles)
    }

    @Test func hbbsEmptyKeySignsWithTheFilesButChecksNoLicence() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.writeTestKeyFiles()
        let settings = try ServerKey.resolveForHbbs(key: "", directory: directory.path)
        #expect(settings.licenceKey == "")
        #expect(settings.signingSecretKey == Support.testSecretKey)
    }

    @Test func hbbsEmptyKeyCreatesMissingFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = try ServerKey.resolveForHbbs(key: "", directory: directory.path)
        #expect(settings.licenceKey == "")
        #expect(settings.source == .generatedFiles)
        #expect(settings.signingSecretKey?.count == 64)
        #expect(directory.exists(ServerKeyFiles.secretKeyFileName))
    }

    @Test(arguments: [Support.testSecretKeyFile, String(Support.testSecretKeyFile.dropLast(2))])
    func hbbsSecretKeyOptionLeavesTheFilesAlone(key: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = try ServerKey.resolveForHbbs(key: key, directory: directory.path)
        #expect(settings.licenceKey == Support.testPublicKeyFile)
        #expect(settings.signingSecretKey == Support.testSecretKey)
        #expect(settings.source == .keyOption)
        #expect(settings.warning == nil)
        #expect(try directory.contents().isEmpty)
    }

    @Test(arguments: ["abc", Support.testPublicKeyFile, " - ", "--"])
    func hbbsOtherStringsAreLicenceKeysWithoutSigning(key: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = try ServerKey.resolveForHbbs(key: key, directory: directory.path)
        #expect(settings.licenceKey == key)
        #expect(settings.signingSecretKey == nil)
        #expect(settings.source == .licenceString)
        #expect(try directory.contents().isEmpty)
    }

    @Test func hbbsWarnsAboutASecretKeyOptionThatCannotSign() throws {
        var secret = Support.testSecretKey
        secret[0] ^= 1
        let settings = try ServerKey.resolveForHbbs(key: Base64.encode(secret), directory: "/nonexistent")
        #expect(settings.licenceKey == Support.testPublicKeyFile)
        #expect(settings.signingSecretKey == secret)
        #expect(settings.warning != nil)
    }

    @Test(arguments: ["-", "_", ""])
    func hbbsContinuesWithoutKeyWhenFilesCannotBeWritten(key: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = try ServerKey.resolveForHbbs(key: key, directory: directory.file("missing"))
        #expect(settings.licenceKey == "")
        #expect(settings.signingSecretKey == nil)
        #expect(settings.source == .unavailable)
        #expect(settings.warning?.contains("id_ed25519") == true)
    }

    @Test func hbbsStopsOnAMalformedKeyFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(ServerKeyFiles.secretKeyFileName, "oops")
        #expect(throws: ServerKeyError.malformedPrivateKey) {
            try ServerKey.resolveForHbbs(key: "-", directory: directory.path)
        }
    }

    @Test func hbbsSettingsNeverPrintTheSecret() throws {
        let settings = try ServerKey.resolveForHbbs(key: Support.testSecretKeyFile, directory: "/nonexistent")
        var dumped = ""
        dump(settings, to: &dumped)
        for text in ["\(settings)", String(reflecting: settings), dumped] {
            #expect(!text.contains("AAECAwQF"))
            #expect(!text.contains("0, 1, 2, 3"))
        }
    }

    // MARK: hbbr (hbbr.md §2.1)

    /// Counts calls of the injected wait, optionally running an action inside it (another process's work).
    final class WaitRecorder: Sendable {
        private let calls = Mutex(0)
        private let action: @Sendable () -> Void
        init(action: @escaping @Sendable () -> Void = {}) { self.action = action }
        var count: Int { calls.withLock { $0 } }
        func wait() async {
            calls.withLock { $0 += 1 }
            action()
        }
    }

    @Test(arguments: ["", "abc", Support.testPublicKeyFile])
    func hbbrUsesOtherStringsAsTheyAre(key: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = WaitRecorder()
        let settings = try await ServerKey.resolveForHbbr(key: key, directory: directory.path, wait: recorder.wait)
        #expect(settings.licenceKey == key)
        #expect(settings.source == .licenceString)
        #expect(recorder.count == 0)
        #expect(try directory.contents().isEmpty)
    }

    @Test func hbbrSecretKeyOptionGivesItsPublicHalf() async throws {
        let recorder = WaitRecorder()
        let settings = try await ServerKey.resolveForHbbr(
            key: Support.testSecretKeyFile, directory: "/nonexistent", wait: recorder.wait)
        #expect(settings.licenceKey == Support.testPublicKeyFile)
        #expect(settings.source == .keyOption)
        #expect(recorder.count == 0)
    }

    @Test(arguments: ["-", "_"])
    func hbbrLoadsExistingFilesWithoutWaiting(key: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.writeTestKeyFiles()
        let recorder = WaitRecorder()
        let settings = try await ServerKey.resolveForHbbr(key: key, directory: directory.path, wait: recorder.wait)
        #expect(settings.licenceKey == Support.testPublicKeyFile)
        #expect(settings.source == .loadedFromFiles)
        #expect(recorder.count == 0)
    }

    @Test func hbbrWaitsOnceThenGeneratesWhenNoFileAppears() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = WaitRecorder()
        let settings = try await ServerKey.resolveForHbbr(key: "-", directory: directory.path, wait: recorder.wait)
        #expect(recorder.count == 1)
        #expect(settings.source == .generatedFiles)
        #expect(settings.licenceKey == (try directory.read(ServerKeyFiles.publicKeyFileName)))
    }

    @Test func hbbrPicksUpTheKeyHbbsWroteWhileItWaited() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let recorder = WaitRecorder { try? directory.writeTestKeyFiles() }
        let settings = try await ServerKey.resolveForHbbr(key: "_", directory: directory.path, wait: recorder.wait)
        #expect(recorder.count == 1)
        #expect(settings.licenceKey == Support.testPublicKeyFile)
        #expect(settings.source == .loadedFromFiles)
    }

    @Test func hbbrContinuesWithoutCheckWhenFilesCannotBeWritten() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let settings = try await ServerKey.resolveForHbbr(
            key: "-", directory: directory.file("missing"), wait: WaitRecorder().wait)
        #expect(settings.licenceKey == "")
        #expect(settings.source == .unavailable)
        #expect(settings.warning != nil)
    }

    @Test func hbbrStopsOnAMismatchedPublicKeyFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(ServerKeyFiles.secretKeyFileName, Support.testSecretKeyFile)
        try directory.write(ServerKeyFiles.publicKeyFileName, "something else")
        await #expect(throws: ServerKeyError.publicKeyFileMismatch(expectedPublicKey: Support.testPublicKeyFile)) {
            try await ServerKey.resolveForHbbr(key: "-", directory: directory.path, wait: {})
        }
    }
}
