import APICore
import Testing

@Suite struct APIPermissionsTests {
    @Test func parsesAreaLevelLists() throws {
        let parsed = try APIPermissions.parse(" user:rw , device:R,audit:none").get()
        #expect(parsed[.user] == .readWrite)
        #expect(parsed[.device] == .read)
        #expect(parsed[.audit] == .none)
        #expect(parsed.allows(.user, .readWrite))
        #expect(parsed.allows(.device, .read))
        #expect(!parsed.allows(.device, .readWrite))
        #expect(!parsed.allows(.strategy, .read))
        #expect(parsed.description == "device:r,user:rw")
        #expect(try APIPermissions.parse(parsed.description).get() == parsed)
        #expect(APIPermissions.everything.description.split(separator: ",").count == APIPermissions.Area.allCases.count)
    }

    @Test(arguments: [
        ("", APIPermissions.ParseError.empty), ("audit:none", .empty), ("users:r", .unknownArea("users")),
        ("user:x", .unknownLevel("x")), ("user", .malformed("user")), ("user:r:w", .malformed("user:r:w")),
        ("user:r,user:rw", .repeated(.user)),
    ])
    func refusesWhatItCannotRead(_ text: String, _ error: APIPermissions.ParseError) {
        #expect(APIPermissions.parse(text) == .failure(error))
    }
}
