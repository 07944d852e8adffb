import RustDeskUtilsKit
import Testing

struct UtilsCommandLineTests {
    typealias Support = UtilsTestSupport

    @Test(arguments: [[], ["unknown"], ["help"], ["--help"], [""]])
    func helpForNoOrUnknownCommand(arguments: [String]) async {
        let result = await Support.run(arguments)
        #expect(result.status == 1)
        #expect(result.lines == Support.help)
    }

    @Test(arguments: ["genkeypair", "GenKeyPair", "GENKEYPAIR"])
    func commandWordIsCaseInsensitive(command: String) async {
        let result = await Support.run([command])
        #expect(result.status == 0)
        #expect(result.lines.count == 2)
    }

    @Test(arguments: [["validatekeypair"], ["validatekeypair", "only-one"], ["ValidateKeyPair", "x"]])
    func validateNeedsBothKeys(arguments: [String]) async {
        let result = await Support.run(arguments)
        #expect(result.status == 1)
        #expect(result.lines == ["ERROR: You must supply both the public and the secret key", ""] + Support.help)
    }

    @Test func doctorNeedsAnAddress() async {
        let result = await Support.run(["doctor"])
        #expect(result.status == 1)
        #expect(result.lines == ["ERROR: You must supply the rustdesk-server address", ""] + Support.help)
    }
}
