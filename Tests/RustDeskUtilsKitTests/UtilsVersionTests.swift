import RustDeskCore
import Testing

struct UtilsVersionTests {
    @Test func versionPrintsTheReleaseAndTheCommit() async {
        for spelling in ["--version", "-V", "version"] {
            let result = await UtilsTestSupport.run([spelling])
            #expect(result.status == 0)
            #expect(result.lines == ["rustdesk-utils \(BuildInfo.version) (commit \(BuildInfo.commit))"])
        }
        // A test build is not a packaged one: scripts/package.sh checks the packaged binaries' commit.
        #expect(BuildInfo.commit == "unknown")
    }
}
