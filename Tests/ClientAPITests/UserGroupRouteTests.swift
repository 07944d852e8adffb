import APICore
import Foundation
import TestSupport
import Testing

/// user-groups.py's commands over real HTTP with an API token (admin-api.md §2): list, add with
/// access rules, update, add members, delete (members back to Default), and the fixed Default group.
@Suite struct UserGroupRouteTests {
    typealias Tool = APITokenTests

    static func groups(_ query: String, _ client: RustDeskAPIClient, _ token: String) async throws
        -> [[String: any Sendable]]
    {
        let answer = try await client.call("GET", "/api/user-groups?\(query)", token: token)
        #expect(answer.status == 200)
        return answer.object?["data"] as? [[String: any Sendable]] ?? []
    }

    static func rules(_ group: [String: any Sendable]?, _ key: String) -> [String] {
        (group?[key] as? [[String: any Sendable]])?.map { "\($0["type"] as? Int ?? -1):\($0["name"] as? String ?? "")" }
            ?? []
    }

    @Test func addUpdateMembersAndDelete() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("groups", "user_group:rw,user:rw,audit:r", server)
        let initial = try await Self.groups("pageSize=50&current=1", client, token)
        #expect(initial.map { $0["name"] as? String } == ["Default"])

        let support = #"""
            {"name":"Support","note":"first line","allowed_incomings":[{"type":0,"name":"Default"},{"type":2,"name":"admin"}],
             "allowed_outgoings":[{"type":0,"name":"Default"}]}
            """#
        #expect(try await client.call("POST", "/api/user-groups", token: token, json: support).status == 200)
        #expect(try await client.call("POST", "/api/user-groups", token: token, json: support).status == 409)
        let listed = try await Self.groups("name=Support", client, token)
        let group = try #require(listed.first)
        #expect(group["note"] as? String == "first line")
        #expect(Self.rules(group, "allowed_incomings") == ["0:Default", "2:admin"])
        #expect(Self.rules(group, "allowed_outgoings") == ["0:Default"])
        let guid = try #require(group["guid"] as? String)

        #expect(await Tool.tool(["user", "add", "erin", "--password", "erin-pw"], server).status == 0)
        let erin = try await AdminUserRouteTests.guid(of: "erin", client, token)
        #expect(
            try await client.call("POST", "/api/user-groups/\(guid)", token: token, json: #"["\#(erin)"]"#).status
                == 200)
        let members = try await client.call("GET", "/api/users?group_name=Support", token: token)
        #expect((members.object?["data"] as? [[String: any Sendable]])?.map { $0["name"] as? String } == ["erin"])

        let patch = #"{"name":"Helpdesk","allowed_incomings":[]}"#
        #expect(try await client.call("PATCH", "/api/user-groups/\(guid)", token: token, json: patch).status == 200)
        let renamed = try await Self.groups("name=Helpdesk", client, token).first
        #expect(renamed?["note"] as? String == "first line")
        #expect(Self.rules(renamed, "allowed_incomings") == [])
        #expect(Self.rules(renamed, "allowed_outgoings") == ["0:Default"])

        #expect(try await client.call("DELETE", "/api/user-groups/\(guid)", token: token).status == 200)
        #expect(try await client.call("DELETE", "/api/user-groups/\(guid)", token: token).status == 404)
        let back = try await client.call("GET", "/api/users?name=erin", token: token)
        #expect((back.object?["data"] as? [[String: any Sendable]])?.first?["group_name"] as? String == "Default")

        let audit = try await client.call("GET", "/api/audits/console", token: token)
        let operations = (audit.object?["data"] as? [[String: any Sendable]])?.map { $0["iop"] as? Int ?? -1 }
        #expect(operations == [4, 10, 10, 1, 100])
        await client.close()
        await server.stop()
    }

    @Test func badRulesTheDefaultGroupAndPermissions() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("groups", "user_group:rw", server)
        for body in [
            #"{"name":"X","allowed_incomings":[{"type":0,"name":"Nope"}]}"#,
            #"{"name":"X","allowed_incomings":[{"type":1,"name":"Default"}]}"#,
            #"{"name":"X","allowed_outgoings":[{"type":2,"name":"admin"}]}"#,
            #"{"name":"X","allowed_outgoings":[{"type":7,"name":"admin"}]}"#, #"{"note":"no name"}"#,
            #"{"name":""}"#,
        ] {
            #expect(try await client.call("POST", "/api/user-groups", token: token, json: body).status == 400)
        }
        let defaultGUID = try #require(try await Self.groups("name=Default", client, token).first?["guid"] as? String)
        let rename = try await client.call(
            "PATCH", "/api/user-groups/\(defaultGUID)", token: token, json: #"{"name":"Other"}"#)
        #expect(rename.status == 409)
        #expect(try await client.call("DELETE", "/api/user-groups/\(defaultGUID)", token: token).status == 409)
        #expect(
            try await client.call("PATCH", "/api/user-groups/\(defaultGUID)", token: token, json: #"{"note":"all"}"#)
                .status == 200)
        #expect(try await client.call("DELETE", "/api/user-groups/no-such", token: token).status == 404)

        let usersOnly = try await Tool.mint("users", "user:rw", server)
        let refused = try await client.call("GET", "/api/user-groups", token: usersOnly)
        #expect(refused.status == 403)
        #expect(refused.error == "Token lacks read permission on user_group")
        let reader = try await Tool.mint("reader", "user_group:r", server)
        #expect(try await client.call("POST", "/api/user-groups", token: reader, json: #"{"name":"Y"}"#).status == 403)
        await client.close()
        await server.stop()
    }

    /// A rule whose target is deleted goes with it.
    @Test func rulesOfADeletedUserGo() async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let token = try await Tool.mint("groups", "user_group:rw,user:rw", server)
        #expect(await Tool.tool(["user", "add", "gail", "--password", "pw"], server).status == 0)
        let body = #"{"name":"Ops","allowed_incomings":[{"type":2,"name":"gail"}]}"#
        #expect(try await client.call("POST", "/api/user-groups", token: token, json: body).status == 200)
        let gail = try await AdminUserRouteTests.guid(of: "gail", client, token)
        #expect(try await client.call("DELETE", "/api/users/\(gail)", token: token).status == 200)
        #expect(Self.rules(try await Self.groups("name=Ops", client, token).first, "allowed_incomings") == [])
        await client.close()
        await server.stop()
    }
}
