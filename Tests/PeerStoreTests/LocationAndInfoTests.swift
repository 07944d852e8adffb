import Foundation
import TestSupport
import Testing

@testable import PeerStore

@Suite struct LocationAndInfoTests {
    @Test(
        arguments: [
            (nil, "./db_v2.sqlite3"),
            ("", "./db_v2.sqlite3"),
            ("db_v2.sqlite3", "db_v2.sqlite3"),
            ("/var/lib/rustdesk/db_v2.sqlite3", "/var/lib/rustdesk/db_v2.sqlite3"),
            ("sqlite:data.db", "data.db"),
            ("sqlite://data.db", "data.db"),
            ("sqlite:///abs/data.db", "/abs/data.db"),
            ("sqlite://data.db?mode=rwc", "data.db"),
            ("sqlite:my%20peers.db", "my peers.db"),
            ("sqlite:bad%zzescape.db", "bad%zzescape.db"),
        ] as [(String?, String)])
    func dbURLPath(dbURL: String?, path: String) {
        #expect(DatabaseLocation(dbURL: dbURL).path == path)
    }

    @Test(arguments: ["sqlite://", "sqlite:"])
    func prefixedURLOpensAndCreatesTheFile(prefix: String) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("prefixed.sqlite3")
        let database = try PeerDatabase.open(DatabaseLocation(dbURL: prefix + path))
        try database.close()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test(arguments: [
        (#"{"ip":"::ffff:192.168.1.5"}"#, "::ffff:192.168.1.5"),
        (#"{"ip":"1.2.3.4","user":"x","n":[1,2]}"#, "1.2.3.4"),
        (#"{"other":{"ip":"no"},"ip":"2001:db8::1"}"#, "2001:db8::1"),
        (#"  { "ip" : "10.0.0.1" }  "#, "10.0.0.1"),
        (#"{"ip":"a\"b\\c"}"#, #"a"b\c"#),
        (#"{}"#, ""),
        (#"{"ip":5}"#, ""),
        (#"{"ip":null}"#, ""),
        (#"{"ip":"1.2.3.4""#, ""),
        ("not json", ""),
        ("", ""),
        ("[]", ""),
    ])
    func infoIP(json: String, ip: String) {
        #expect(PeerInfo.decodeIP(json) == ip)
    }

    @Test(arguments: ["::ffff:192.168.1.5", "", "fe80::1%eth0", #"quote" back\ /slash"#, "tab\tnew\nline\u{1}", "ünï"])
    func infoRoundTrip(ip: String) {
        #expect(PeerInfo.decodeIP(PeerInfo.encode(ip: ip)) == ip)
    }

    @Test func infoEncodingMatchesSerdeJSON() {
        #expect(PeerInfo.encode(ip: "::ffff:1.2.3.4") == #"{"ip":"::ffff:1.2.3.4"}"#)
        #expect(PeerInfo.encode(ip: "a/b\u{1}") == #"{"ip":"a/b\u0001"}"#)
    }

    @Test func guidIsVersion7AndTimeOrdered() throws {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let guid = PeerGUID.make()
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        #expect(guid.count == 16)
        #expect(guid[6] >> 4 == 7)
        #expect(guid[8] >> 6 == 0b10)
        let stamp = guid.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(stamp >= before && stamp <= after + 1)
        // Later guids sort after earlier ones (a millisecond apart), so new rows append to the B-tree.
        var later = PeerGUID.make()
        let deadline = ContinuousClock.now + .seconds(2)
        while later.prefix(6).elementsEqual(guid.prefix(6)), ContinuousClock.now < deadline {
            later = PeerGUID.make()
        }
        #expect(later.lexicographicallyPrecedes(guid) == false)
        #expect(later != guid)
    }
}
