import RustDeskCore
import Testing

@testable import RelayCore

@Suite struct RelayHandshakeRulesTests {
    struct Half: RelayHalf, Equatable {
        var name: String
        var transport: RelayTransport
    }

    typealias Action = RelayHandshakeRules.Action<Half>

    private static let tcp = Half(name: "tcp", transport: .tcp)
    private static let ws = Half(name: "ws", transport: .webSocket)

    private func arrive(
        _ request: RelayRequest?, _ side: Half = tcp, id: UInt64 = 1, licenceKey: String = "",
        directRelay: Bool = true, table: inout RelayPairingTable<Half>, now: Milliseconds = 0
    ) -> Action {
        RelayHandshakeRules.arrive(
            request, side: side, id: id, licenceKey: licenceKey, directRelay: directRelay, table: &table, now: now,
            waitFor: 30_000)
    }

    private func closeReason(_ action: Action) -> CloseReason? {
        guard case .close(let reason) = action else { return nil }
        return reason
    }

    @Test func aFirstUnitThatIsNoRequestRelayCloses() {
        var table = RelayPairingTable<Half>()
        #expect(closeReason(arrive(nil, table: &table)) == .badRequestRelay)
        #expect(table.count == 0)
    }

    @Test func anEmptyUUIDCloses() {
        var table = RelayPairingTable<Half>()
        #expect(closeReason(arrive(RelayRequest(uuid: "", licenceKey: ""), table: &table)) == .badRequestRelay)
        #expect(table.count == 0)
    }

    @Test func aWrongLicenceClosesBeforeTheUUIDIsLookedAt() {
        var table = RelayPairingTable<Half>()
        let wrong = arrive(RelayRequest(uuid: "", licenceKey: "nope"), licenceKey: "key", table: &table)
        #expect(closeReason(wrong) == .licenceMismatch)
        let missing = arrive(RelayRequest(uuid: "u", licenceKey: ""), licenceKey: "key", table: &table)
        #expect(closeReason(missing) == .licenceMismatch)
        #expect(table.count == 0)
    }

    @Test func theRightLicenceOrNoneConfiguredParks() {
        var table = RelayPairingTable<Half>()
        let keyed = arrive(RelayRequest(uuid: "a", licenceKey: "key"), licenceKey: "key", table: &table, now: 5)
        guard case .park(let uuid, let until) = keyed else {
            Issue.record("expected park, got \(keyed)")
            return
        }
        #expect(uuid == "a" && until == 30_005)
        // With no key configured, whatever the client sends is accepted.
        let open = arrive(RelayRequest(uuid: "b", licenceKey: "anything"), id: 2, table: &table)
        guard case .park(uuid: "b", _) = open else {
            Issue.record("expected park, got \(open)")
            return
        }
        #expect(table.count == 2)
    }

    @Test func theSecondHalfPairsWithTheWaitingOne() {
        var table = RelayPairingTable<Half>()
        _ = arrive(RelayRequest(uuid: "u", licenceKey: ""), Self.ws, id: 1, table: &table)
        let second = arrive(RelayRequest(uuid: "u", licenceKey: ""), Self.tcp, id: 2, table: &table)
        guard case .pair(let first, let relay) = second else {
            Issue.record("expected pair, got \(second)")
            return
        }
        #expect(first == Self.ws)
        #expect(relay == .units)
        #expect(table.count == 0)
    }

    @Test func twoTCPHalvesGoDirectWhenTheDirectRelayRuns() {
        for directRelay in [true, false] {
            var table = RelayPairingTable<Half>()
            let request = RelayRequest(uuid: "u", licenceKey: "")
            _ = arrive(request, id: 1, directRelay: directRelay, table: &table)
            guard case .pair(_, let relay) = arrive(request, id: 2, directRelay: directRelay, table: &table) else {
                Issue.record("expected pair")
                continue
            }
            #expect(relay == (directRelay ? .direct : .raw))
        }
    }

    @Test func aFullTableCloses() {
        var table = RelayPairingTable<Half>(capacity: 1)
        _ = arrive(RelayRequest(uuid: "a", licenceKey: ""), id: 1, table: &table)
        let refused = arrive(RelayRequest(uuid: "b", licenceKey: ""), id: 2, table: &table, now: 10)
        #expect(closeReason(refused) == .waitingTableFull)
        // The waiting half's partner still gets in: pairing needs no room.
        guard case .pair = arrive(RelayRequest(uuid: "a", licenceKey: ""), id: 3, table: &table, now: 10) else {
            Issue.record("the partner must pair")
            return
        }
    }

    @Test func relayModeFollowsBothTransports() {
        #expect(RelayHandshakeRules.relay(.tcp, .tcp, directRelay: true) == .direct)
        #expect(RelayHandshakeRules.relay(.tcp, .tcp, directRelay: false) == .raw)
        #expect(RelayHandshakeRules.relay(.tcp, .webSocket, directRelay: true) == .units)
        #expect(RelayHandshakeRules.relay(.webSocket, .tcp, directRelay: true) == .units)
        #expect(RelayHandshakeRules.relay(.webSocket, .webSocket, directRelay: false) == .units)
    }

    @Test func eachHalfForwardsAsItsTransportAndItsPartnersSay() {
        #expect(RelayHandshakeRules.forwarding(mine: .tcp, partner: .tcp) == .raw)
        #expect(RelayHandshakeRules.forwarding(mine: .tcp, partner: .webSocket) == .framed)
        #expect(RelayHandshakeRules.forwarding(mine: .webSocket, partner: .tcp) == .messages)
        #expect(RelayHandshakeRules.forwarding(mine: .webSocket, partner: .webSocket) == .messages)
    }
}
