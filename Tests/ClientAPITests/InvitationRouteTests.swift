import APICore
import Foundation
import RustDeskCore
import TestSupport
import Testing

/// users.py `invite` over real HTTP (admin-api.md §2): without SMTP the answer carries the link, with
/// SMTP the link goes out by mail (a fake SMTP server on 127.0.0.1); the invitee sets a password
/// through the link (JSON or the HTML form) and logs in; a link works once; a failed mail leaves no user.
@Suite struct InvitationRouteTests {
    typealias Tool = APITokenTests
    static let erin = #"{"email":"erin@example.com","name":"erin","group_name":"ops","note":"new hire"}"#

    static func token(inLink link: String) throws -> String {
        let components = try #require(URLComponents(string: link))
        #expect(components.path == "/api/users/invite/accept")
        return try #require(components.queryItems?.first { $0.name == "token" }?.value)
    }

    @Test func withoutSMTPTheLinkIsAnsweredAndSetsThePasswordOnce() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw,audit:r", server)
        let invited = try await client.call("POST", "/api/users/invite", token: token, json: Self.erin)
        #expect(invited.status == 200)
        let link = try #require(invited.object?["link"] as? String)
        #expect(link.hasPrefix("http://127.0.0.1/api/users/invite/accept?token="))
        let secret = try Self.token(inLink: link)

        // Invited, not yet able to log in; listed with the group and as unverified.
        #expect(try await client.login("erin", "").status == 401)
        let row =
            (try await client.call("GET", "/api/users?name=erin", token: token).object?["data"]
            as? [[String: any Sendable]])?.first
        #expect(row?["group_name"] as? String == "ops")
        #expect(row?["status"] as? Int == -1)
        #expect(try await client.call("POST", "/api/users/invite", token: token, json: Self.erin).status == 409)

        let page = try await client.call("GET", "/api/users/invite/accept?token=\(secret)")
        #expect(page.status == 200)
        #expect(page.contentType?.hasPrefix("text/html") == true)
        #expect(page.body.contains("<b>erin</b>") && page.body.contains(#"name="password""#))

        let accepted = try await client.call(
            "POST", "/api/users/invite/accept", json: #"{"token":"\#(secret)","password":"erin-pw-1"}"#)
        #expect(accepted.status == 200)
        #expect(accepted.object?["name"] as? String == "erin")
        #expect(try await client.login("erin", "erin-pw-1").object?["access_token"] is String)

        let again = try await client.call(
            "POST", "/api/users/invite/accept", json: #"{"token":"\#(secret)","password":"other"}"#)
        #expect(again.status == 404)
        #expect(try await client.login("erin", "other").status == 401)
        #expect(try await client.call("GET", "/api/users/invite/accept?token=\(secret)").status == 404)

        let audit = try await ConsoleAuditTests.records("pageSize=10&current=1", client, token)
        let record = try #require(audit.first)
        #expect(record["iop"] as? Int == 2)
        #expect((record["info"] as? String)?.contains(#""invitation":"link""#) == true)
        await client.close()
        await server.stop()
    }

    @Test func theHTMLFormAcceptsAndAnExpiredLinkDoesNot() async throws {
        let server = try await APITestServer(publicURL: "https://desk.example.com")
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw", server)
        let first = try await client.call("POST", "/api/users/invite", token: token, json: Self.erin)
        let link = try #require(first.object?["link"] as? String)
        #expect(link.hasPrefix("https://desk.example.com/api/users/invite/accept?token="))
        let formed = try await client.call(
            "POST", "/api/users/invite/accept", json: "token=\(try Self.token(inLink: link))&password=a%26b+c",
            contentType: "application/x-www-form-urlencoded")
        #expect(formed.status == 200)
        #expect(formed.body.contains("The password of erin is set"))
        #expect(try await client.login("erin", "a&b c").status == 200)

        // JSON labelled as a form (curl's default) is still JSON, and answered as JSON.
        let gil = try await client.call(
            "POST", "/api/users/invite", token: token, json: #"{"email":"gil@example.com","name":"gil"}"#)
        let gilToken = try Self.token(inLink: try #require(gil.object?["link"] as? String))
        let labelled = try await client.call(
            "POST", "/api/users/invite/accept", json: #" {"token":"\#(gilToken)","password":"gil-pw"}"#,
            contentType: "application/x-www-form-urlencoded")
        #expect(labelled.status == 200)
        #expect(labelled.object?["name"] as? String == "gil")

        let fay = #"{"email":"fay@example.com","name":"fay"}"#
        let second = try await client.call("POST", "/api/users/invite", token: token, json: fay)
        let fayToken = try Self.token(inLink: try #require(second.object?["link"] as? String))
        server.wallClock.advance(seconds: UserInvitations.lifetimeSeconds)
        let late = try await client.call(
            "POST", "/api/users/invite/accept", json: #"{"token":"\#(fayToken)","password":"pw"}"#)
        #expect(late.status == 404)
        #expect(late.error == "This invitation is invalid, used or expired")
        await client.close()
        await server.stop()
    }

    @Test func withSMTPTheLinkIsMailed() async throws {
        let smtp = try await FakeSMTPServer()
        let server = try await APITestServer(
            mail: MailConfiguration(host: "127.0.0.1", port: smtp.port, from: "desk@example.com"))
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw", server)
        let invited = try await client.call("POST", "/api/users/invite", token: token, json: Self.erin)
        #expect(invited.status == 200)
        #expect(invited.object?["mailed"] as? String == "erin@example.com")
        #expect(invited.object?["link"] == nil)
        #expect(smtp.commands.contains("RCPT TO:<erin@example.com>"))
        let mail = try #require(smtp.messages.first)
        #expect(mail.contains("\r\nTo: <erin@example.com>\r\n"))
        let line = try #require(mail.components(separatedBy: "\r\n").first { $0.hasPrefix("http://") })
        let secret = try Self.token(inLink: line)
        let accepted = try await client.call(
            "POST", "/api/users/invite/accept", json: #"{"token":"\#(secret)","password":"erin-pw"}"#)
        #expect(accepted.status == 200)
        #expect(try await client.login("erin", "erin-pw").status == 200)
        await client.close()
        await server.stop()
        await smtp.stop()
    }

    @Test func aFailedMailLeavesNoUser() async throws {
        let smtp = try await FakeSMTPServer(.rejectRecipient)
        let server = try await APITestServer(
            mail: MailConfiguration(host: "127.0.0.1", port: smtp.port, from: "desk@example.com"))
        let client = try await server.client()
        let token = try await Tool.mint("users", "user:rw", server)
        let invited = try await client.call("POST", "/api/users/invite", token: token, json: Self.erin)
        #expect(invited.status == 502)
        #expect(invited.error == "The invitation mail could not be sent; no user was created")
        let listed = try await client.call("GET", "/api/users?name=erin", token: token)
        #expect(listed.object?["total"] as? Int == 0)
        await client.close()
        await server.stop()
        await smtp.stop()
    }

    @Test func onlyReadWriteTokensInviteAndBadBodiesAreRefused() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let reader = try await Tool.mint("reader", "user:r", server)
        let refused = try await client.call("POST", "/api/users/invite", token: reader, json: Self.erin)
        #expect(refused.status == 403)
        #expect(refused.error == "Token lacks read-write permission on user")
        #expect(try await client.call("POST", "/api/users/invite", json: Self.erin).status == 401)
        let writer = try await Tool.mint("writer", "user:rw", server)
        for json in [#"{"name":"gus"}"#, #"{"name":"gus","email":"not-mail"}"#, #"{"name":"","email":"g@x.org"}"#] {
            #expect(try await client.call("POST", "/api/users/invite", token: writer, json: json).status == 400)
        }
        let bogus = try await client.call(
            "POST", "/api/users/invite/accept", json: #"{"token":"nope","password":"pw"}"#)
        #expect(bogus.status == 404)
        await client.close()
        await server.stop()
    }
}
