import APICore
import Testing

/// Which record continues a connection's row and which starts a new one (`conn_id` restarts with
/// the device's service; old clients post records out of order).
@Suite struct ConnectionAuditTests {
    private static let now: Int64 = 1_780_000_000

    private func row(
        session: UInt64 = 0, opened: Bool = false, authorized: Bool = false, closed: Bool = false, age: Int64 = 5
    ) -> ConnectionAudit {
        let at = Self.now - age
        return ConnectionAudit(
            id: 1, guid: "g", deviceID: "d", connID: 7, sessionID: session, createdAt: at,
            openedAt: opened ? at : nil, authorizedAt: authorized ? at : nil, closedAt: closed ? at : nil)
    }

    private func record(_ event: ConnectionEvent, session: UInt64 = 0) -> ConnectionRecord {
        ConnectionRecord(deviceID: "d", connID: 7, sessionID: session, event: event)
    }

    private let opened = ConnectionEvent.opened(ip: "1.2.3.4", connAuditRef: "")
    private let authorized = ConnectionEvent.authorized(ConnectionLogin(peerID: "p", peerName: "n", connType: 0))

    @Test func recordsInOrderContinueTheRow() {
        #expect(row(opened: true).isContinued(by: record(authorized, session: 9), now: Self.now))
        #expect(
            row(session: 9, opened: true, authorized: true).isContinued(by: record(.closed, session: 9), now: Self.now))
    }

    @Test func aSecondRecordOfTheSameKindStartsANewConnection() {
        #expect(!row(opened: true).isContinued(by: record(opened), now: Self.now))
        #expect(!row(opened: true, authorized: true).isContinued(by: record(authorized), now: Self.now))
        #expect(!row(opened: true, closed: true).isContinued(by: record(.closed), now: Self.now))
    }

    @Test func anotherSessionStartsANewConnection() {
        #expect(!row(session: 9, opened: true).isContinued(by: record(.closed, session: 10), now: Self.now))
        #expect(row(session: 9, opened: true).isContinued(by: record(.closed, session: 0), now: Self.now))
    }

    @Test func earlierRecordsArrivingLateJoinOnlyARecentRow() {
        #expect(row(session: 9, closed: true).isContinued(by: record(authorized, session: 9), now: Self.now))
        #expect(row(session: 9, authorized: true, closed: true).isContinued(by: record(opened), now: Self.now))
        let old = ConnectionAudit.reorderWindowSeconds + 1
        #expect(!row(session: 9, closed: true, age: old).isContinued(by: record(authorized, session: 9), now: Self.now))
        #expect(!row(session: 9, authorized: true, age: old).isContinued(by: record(opened), now: Self.now))
    }

    @Test func aLongSessionStillCloses() {
        #expect(
            row(session: 9, opened: true, authorized: true, age: 86_400).isContinued(
                by: record(.closed, session: 9), now: Self.now))
    }
}
