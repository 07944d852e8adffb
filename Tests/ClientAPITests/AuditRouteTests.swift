import APICore
import Foundation
import TestSupport
import Testing

/// http-api.md §6 through real HTTP against hbbs: a device registered over UDP posts its connection,
/// file and alarm records the way the client does (no Authorization, `id` + `uuid` in the body),
/// the controller adds notes, and a logged-in controller finds the connection's guid.
@Suite struct AuditRouteTests {
    /// A random session id above 2^63 (half of the client's are).
    static let bigSession: UInt64 = 0xF123_4567_89AB_CDEF

    @Test func postAndCloseAConnectionAuditWithNonceRetries() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let session = Self.bigSession
        let ids = deviceFields(device)

        let new =
            #"{"ip":"203.0.113.7","action":"new",\#(ids),"conn_id":3,"session_id":0,"nonce":"n-1","conn_audit_ref":"ref-1"}"#
        let authorized =
            #"{"peer":["987654321","alice-pc"],"type":0,"primary_auth":3,"two_factor":1,\#(ids),"conn_id":3,"session_id":\#(session),"nonce":"n-2"}"#
        let close = #"{"action":"close",\#(ids),"conn_id":3,"session_id":\#(session),"nonce":"n-3"}"#
        // Each record twice: a retry after a lost answer carries the same nonce.
        for body in [new, new, authorized, authorized, close, close] {
            let answer = try await client.call("POST", "/api/audit/conn", json: body)
            #expect(answer.status == 200)
            #expect(answer.body.isEmpty)
            #expect(answer.contentType == "application/json; charset=utf-8")
        }
        let rows = try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 10)
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.connID == 3)
        #expect(row.sessionID == session)
        #expect(row.ip == "203.0.113.7")
        #expect(row.connAuditRef == "ref-1")
        #expect(row.peerID == "987654321")
        #expect(row.peerName == "alice-pc")
        #expect(row.connType == 0)
        #expect(row.primaryAuth == 3)
        #expect(row.twoFactor == 1)
        #expect(row.openedAt == server.wallClock.seconds)
        #expect(row.authorizedAt != nil)
        #expect(row.closedAt != nil)

        // The controller's note during the session: no Authorization, no uuid.
        let note = try await client.call(
            "POST", "/api/audit/conn", json: #"{"id":"\#(device.id)","session_id":\#(session),"note":"printer fixed"}"#)
        #expect(note.status == 200)
        #expect(note.body.isEmpty)
        #expect(
            try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 1).first?.note
                == "printer fixed")

        // The logged-in controller finds the connection and annotates it at the end.
        let token = try await client.token("admin", APITestServer.adminPassword)
        let active = try await client.call(
            "GET", "/api/audit/conn/active?id=\(device.id)&session_id=\(session)&conn_type=0", token: token)
        #expect(active.status == 200)
        #expect(active.body == "\"\(row.guid)\"")
        let put = try await client.call(
            "PUT", "/api/audit", token: token, json: #"{"guid":"\#(row.guid)","note":"all done"}"#)
        #expect(put.status == 200)
        #expect(put.body.isEmpty)
        let annotated = try #require(
            try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 1).first)
        #expect(annotated.note == "all done")
        #expect(annotated.noteBy == "admin")
        await client.close()
        await server.stop()
    }

    @Test func recordsWithoutNonceStillMakeOneRowPerConnection() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let ids = deviceFields(device)
        for conn in [1, 2] {
            for body in [
                #"{"ip":"10.0.0.\#(conn)","action":"new",\#(ids),"conn_id":\#(conn),"session_id":0}"#,
                #"{"peer":["111","bob"],"type":1,\#(ids),"conn_id":\#(conn),"session_id":\#(conn * 1000)}"#,
                #"{"action":"close",\#(ids),"conn_id":\#(conn),"session_id":\#(conn * 1000)}"#,
            ] {
                #expect(try await client.call("POST", "/api/audit/conn", json: body).status == 200)
            }
        }
        let rows = try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 10)
        #expect(rows.map(\.connID) == [2, 1])
        #expect(rows.map(\.sessionID) == [2000, 1000])
        #expect(rows.allSatisfy { $0.openedAt != nil && $0.authorizedAt != nil && $0.closedAt != nil })
        #expect(rows.map(\.connType) == [1, 1])
        #expect(Set(rows.map(\.guid)).count == 2)
        await client.close()
        await server.stop()
    }

    @Test func recordsArrivingBeforeTheirNewJoinOneRow() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let ids = deviceFields(device)
        for body in [
            #"{"action":"close",\#(ids),"conn_id":9,"session_id":77}"#,
            #"{"peer":["111","bob"],"type":4,\#(ids),"conn_id":9,"session_id":77}"#,
            #"{"ip":"10.1.1.1","action":"new",\#(ids),"conn_id":9,"session_id":0}"#,
        ] {
            #expect(try await client.call("POST", "/api/audit/conn", json: body).status == 200)
        }
        let rows = try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 10)
        #expect(rows.count == 1)
        #expect(rows.first?.ip == "10.1.1.1")
        #expect(rows.first?.connType == 4)
        #expect(rows.first?.sessionID == 77)
        #expect(rows.first?.closedAt != nil)
        await client.close()
        await server.stop()
    }

    @Test func aRestartedDeviceReusingAConnIDStartsANewRow() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let ids = deviceFields(device)
        let new = #"{"ip":"10.1.1.1","action":"new",\#(ids),"conn_id":1,"session_id":0}"#
        #expect(try await client.call("POST", "/api/audit/conn", json: new).status == 200)
        #expect(try await client.call("POST", "/api/audit/conn", json: new).status == 200)
        #expect(try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 10).count == 2)
        await client.close()
        await server.stop()
    }

    @Test func sessionIDsUpToU64MaxRoundTrip() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let ids = deviceFields(device)
        for (conn, session) in [(1, UInt64.max), (2, UInt64(1) << 63), (3, UInt64(Int64.max))] {
            let body = #"{"peer":["1","c"],"type":2,\#(ids),"conn_id":\#(conn),"session_id":\#(session)}"#
            #expect(try await client.call("POST", "/api/audit/conn", json: body).status == 200)
            let active = try await client.call(
                "GET", "/api/audit/conn/active?id=\(device.id)&session_id=\(session)&conn_type=2", token: token)
            let guid = try #require(
                try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 1).first?.guid)
            #expect(active.body == "\"\(guid)\"")
        }
        let sessions = try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 10).map(\.sessionID)
        #expect(sessions == [UInt64(Int64.max), UInt64(1) << 63, UInt64.max])
        await client.close()
        await server.stop()
    }

    @Test func activeConnectionIsNullUntilKnownAndNeedsALogin() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let token = try await client.token("admin", APITestServer.adminPassword)
        let target = "/api/audit/conn/active?id=\(device.id)&session_id=\(Self.bigSession)&conn_type=0"
        let unknown = try await client.call("GET", target, token: token)
        #expect(unknown.status == 200)
        #expect(unknown.body == "null")
        // Opened but not yet authorized: the session id is not known yet.
        let ids = deviceFields(device)
        let new = #"{"ip":"10.1.1.1","action":"new",\#(ids),"conn_id":1,"session_id":0}"#
        #expect(try await client.call("POST", "/api/audit/conn", json: new).status == 200)
        #expect(try await client.call("GET", target, token: token).body == "null")
        let authorized = #"{"peer":["1","c"],"type":1,\#(ids),"conn_id":1,"session_id":\#(Self.bigSession)}"#
        #expect(try await client.call("POST", "/api/audit/conn", json: authorized).status == 200)
        // Another connection type in the same session is another connection.
        #expect(try await client.call("GET", target, token: token).body == "null")
        let fileTransfer = try await client.call(
            "GET", "/api/audit/conn/active?id=\(device.id)&session_id=\(Self.bigSession)&conn_type=1", token: token)
        #expect(fileTransfer.body.count == 38)
        let anonymous = try await client.call("GET", target)
        #expect(anonymous.status == 401)
        #expect(anonymous.error == "Invalid token")
        await client.close()
        await server.stop()
    }

    @Test func notesForUnknownConnectionsAre404AndPUTNeedsALogin() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let note = try await client.call(
            "POST", "/api/audit/conn", json: #"{"id":"\#(device.id)","session_id":12345,"note":"hello"}"#)
        #expect(note.status == 404)
        #expect(note.error == "Not found")
        let anonymous = try await client.call("PUT", "/api/audit", json: #"{"guid":"x","note":"y"}"#)
        #expect(anonymous.status == 401)
        let token = try await client.token("admin", APITestServer.adminPassword)
        let unknown = try await client.call(
            "PUT", "/api/audit", token: token, json: #"{"guid":"00000000-0000-0000-0000-000000000000","note":"y"}"#)
        #expect(unknown.status == 404)
        #expect(unknown.error == "Not found")
        let missing = try await client.call("PUT", "/api/audit", token: token, json: #"{"note":"y"}"#)
        #expect(missing.status == 400)
        await client.close()
        await server.stop()
    }

    @Test func fileAndAlarmRecordsAreStoredOnce() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let ids = deviceFields(device)
        let info = #"{\"ip\":\"10.0.0.5\",\"name\":\"alice\",\"num\":2,\"files\":[[\"a.txt\",10],[\"b.bin\",5]]}"#
        let file =
            #"{\#(ids),"peer_id":"987654321","conn_id":4,"type":1,"path":"/home/u/docs","is_file":false,"info":"\#(info)","nonce":"f-1"}"#
        let alarm = #"{\#(ids),"typ":10,"info":"{\"id\":\"555\"}","conn_id":4,"nonce":"a-1","conn_audit_ref":"ref-9"}"#
        for (path, body) in [("file", file), ("file", file), ("alarm", alarm), ("alarm", alarm)] {
            let answer = try await client.call("POST", "/api/audit/\(path)", json: body)
            #expect(answer.status == 200)
            #expect(answer.body.isEmpty)
        }
        let files = try await server.store.apiStore.fileAudits(deviceID: device.id, limit: 10)
        #expect(files.count == 1)
        #expect(
            files.first
                == FileAudit(
                    deviceID: device.id, peerID: "987654321", connID: 4, type: 1, path: "/home/u/docs", isFile: false,
                    info: #"{"ip":"10.0.0.5","name":"alice","num":2,"files":[["a.txt",10],["b.bin",5]]}"#,
                    createdAt: server.wallClock.seconds))
        let alarms = try await server.store.apiStore.alarmAudits(deviceID: device.id, limit: 10)
        #expect(
            alarms
                == [
                    AlarmAudit(
                        deviceID: device.id, typ: 10, info: #"{"id":"555"}"#, connID: 4, connAuditRef: "ref-9",
                        createdAt: server.wallClock.seconds)
                ])
        await client.close()
        await server.stop()
    }

    @Test(arguments: ["conn", "file", "alarm"])
    func recordsFromAWrongUUIDOrUnknownDeviceAreRefused(_ kind: String) async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        for ids in [
            #""id":"\#(device.id)","uuid":"d3Jvbmc=""#, #""id":"\#(device.id)""#,
            #""id":"nobody","uuid":"\#(device.uuidBase64)""#,
        ] {
            let body = #"{"action":"new","ip":"1.1.1.1",\#(ids),"conn_id":1,"typ":0,"info":"{}","type":0}"#
            let answer = try await client.call("POST", "/api/audit/\(kind)", json: body)
            #expect(answer.status == 400)
            #expect(answer.error == "Unknown device")
        }
        #expect(try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 10).isEmpty)
        #expect(try await server.store.apiStore.fileAudits(deviceID: device.id, limit: 10).isEmpty)
        #expect(try await server.store.apiStore.alarmAudits(deviceID: device.id, limit: 10).isEmpty)
        await client.close()
        await server.stop()
    }

    @Test func aNonceIsScopedToItsDeviceAndForgottenAfterAboutADay() async throws {
        let server = try await APITestServer()
        let first = try await server.registerDevice()
        let second = try await server.registerDevice()
        let client = try await server.client()
        for device in [first, second] {
            let body = #"{"action":"new","ip":"1.1.1.1",\#(deviceFields(device)),"conn_id":1,"nonce":"same"}"#
            #expect(try await client.call("POST", "/api/audit/conn", json: body).status == 200)
            #expect(try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 10).count == 1)
        }
        let retry = #"{"action":"new","ip":"1.1.1.1",\#(deviceFields(first)),"conn_id":1,"nonce":"same"}"#
        server.wallClock.advance(seconds: AuditLimits.nonceRetentionSeconds - 1)
        #expect(try await client.call("POST", "/api/audit/conn", json: retry).status == 200)
        #expect(try await server.store.apiStore.connectionAudits(deviceID: first.id, limit: 10).count == 1)
        // Pruning runs at most hourly: the first post an hour later forgets it, the next is stored again.
        server.wallClock.advance(seconds: NoncePruning().intervalSeconds + 1)
        let other = #"{"action":"new","ip":"1.1.1.1",\#(deviceFields(first)),"conn_id":2}"#
        #expect(try await client.call("POST", "/api/audit/conn", json: other).status == 200)
        let again = #"{"action":"new","ip":"1.1.1.1",\#(deviceFields(first)),"conn_id":1,"nonce":"same"}"#
        #expect(try await client.call("POST", "/api/audit/conn", json: again).status == 200)
        #expect(try await server.store.apiStore.connectionAudits(deviceID: first.id, limit: 10).count == 3)
        await client.close()
        await server.stop()
    }

    @Test func concurrentRetriesApplyOnceAndConcurrentConnectionsAllLand() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let fields = deviceFields(device)
        let port = server.apiPort
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for index in 0..<16 {
                group.addTask {
                    let client = try await RustDeskAPIClient(port: port)
                    let retry = #"{"action":"new","ip":"1.1.1.1",\#(fields),"conn_id":1,"nonce":"shared"}"#
                    let own =
                        #"{"action":"new","ip":"1.1.1.1",\#(fields),"conn_id":\#(100 + index),"nonce":"n\#(index)"}"#
                    let first = try await client.call("POST", "/api/audit/conn", json: retry).status
                    let second = try await client.call("POST", "/api/audit/conn", json: own).status
                    await client.close()
                    return [first, second]
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(statuses == Array(repeating: 200, count: 32))
        let rows = try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 100)
        #expect(rows.count == 17)
        #expect(rows.filter { $0.connID == 1 }.count == 1)
        await server.stop()
    }

    @Test func oldClientsKeepAliveIsAcceptedAndStoresNothing() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let answer = try await client.call("POST", "/api/audit/conn", json: #"{\#(deviceFields(device)),"conn_id":1}"#)
        #expect(answer.status == 200)
        #expect(answer.body.isEmpty)
        #expect(try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 10).isEmpty)
        await client.close()
        await server.stop()
    }

    @Test(arguments: ["conn", "file", "alarm"])
    func malformedJSONIs400(_ kind: String) async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        for body in [#"{"id":"#, "[1,2]", "\"text\""] {
            let answer = try await client.call("POST", "/api/audit/\(kind)", json: body)
            #expect(answer.status == 400)
            #expect(answer.error == "Invalid request body")
        }
        await client.close()
        await server.stop()
    }

    @Test(arguments: ["/api/audit/conn", "/api/audit/file", "/api/audit/alarm"])
    func oversizedBodiesAre413(_ path: String) async throws {
        let server = try await APITestServer()
        let client = try await server.client()
        let body = #"{"info":""# + String(repeating: "a", count: 70 * 1024) + #""}"#
        let answer = try await client.call("POST", path, json: body)
        #expect(answer.status == 413)
        #expect(answer.error == "Request body too large")
        await client.close()
        await server.stop()
    }

    @Test func longFieldsAreCutAndALongNonceRefused() async throws {
        let server = try await APITestServer()
        let device = try await server.registerDevice()
        let client = try await server.client()
        let ids = deviceFields(device)
        let name = String(repeating: "é", count: 300)
        let authorized = #"{"peer":["1","\#(name)"],"type":0,\#(ids),"conn_id":1,"session_id":5}"#
        #expect(try await client.call("POST", "/api/audit/conn", json: authorized).status == 200)
        let stored = try await server.store.apiStore.connectionAudits(deviceID: device.id, limit: 1).first?.peerName
        #expect(stored == String(repeating: "é", count: AuditLimits.text / 2))
        let nonce = String(repeating: "n", count: AuditLimits.nonce + 1)
        let close = #"{"action":"close",\#(ids),"conn_id":1,"session_id":5,"nonce":"\#(nonce)"}"#
        let refused = try await client.call("POST", "/api/audit/conn", json: close)
        #expect(refused.status == 400)
        #expect(refused.error == "Nonce too long")
        await client.close()
        await server.stop()
    }
}

/// `"id":…,"uuid":…` of a registered device, as every device record carries them.
private func deviceFields(_ device: RegisteredTestDevice) -> String {
    #""id":"\#(device.id)","uuid":"\#(device.uuidBase64)""#
}
