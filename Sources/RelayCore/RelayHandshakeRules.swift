import RustDeskCore

/// hbbr's handshake (hbbr.md §5, §6.1) as pure rules: from a connection's first unit and the waiting
/// table, what its handler does next. The handler only carries out the returned action.
public enum RelayHandshakeRules {
    /// How a pair relays once both halves are there.
    public enum Relay: Equatable, Sendable {
        /// Both TCP and the direct relay runs: both sockets leave NIO for it.
        case direct
        /// Both TCP through NIO forwarders, raw bytes both ways.
        case raw
        /// At least one WebSocket half: NIO forwarders pass units.
        case units
    }

    /// How one half's forwarder sees units (hbbr.md §6.1).
    public enum Forwarding: Equatable, Sendable {
        /// TCP facing TCP: raw chunks, unframed.
        case raw
        /// TCP facing WebSocket: frames decoded into units and units framed on the way out.
        case framed
        /// A WebSocket half: its messages are the units.
        case messages
    }

    public enum Action<Side> {
        /// Nobody waited under `uuid`: the half is now in the table until `until`, then closed unless
        /// its partner claimed it.
        case park(uuid: String, until: Milliseconds)
        /// The partner waited and has left the table: relay with it as `relay` says.
        case pair(with: Side, relay: Relay)
        /// Close the half, saying nothing (hbbr.md §5: hbbr writes nothing before pairing).
        case close(CloseReason)
    }

    /// hbbr.md §5 steps 2–5 for one half: `request` is its first unit when that was a RequestRelay,
    /// else nil. A half that passes the checks parks under its uuid or pairs with the half waiting there.
    ///
    /// `RelayWaitingRoom` calls this with its lock held, so finding a partner and parking stay one step
    /// and two simultaneous arrivals cannot both wait. Passing the table's answer in instead would split
    /// the rule in two halves glued by the handler; under the lock it does only a string compare and
    /// one table operation, and calls nothing else.
    public static func arrive<Side: RelayHalf>(
        _ request: RelayRequest?, side: Side, id: UInt64, licenceKey: String, directRelay: Bool,
        table: inout RelayPairingTable<Side>, now: Milliseconds, waitFor: Milliseconds
    ) -> Action<Side> {
        guard let request else { return .close(.badRequestRelay) }
        // The licence comes before the uuid, as in the reference.
        if !licenceKey.isEmpty, request.licenceKey != licenceKey { return .close(.licenceMismatch) }
        guard !request.uuid.isEmpty else { return .close(.badRequestRelay) }
        switch table.arrive(uuid: request.uuid, id: id, side: side, now: now, waitFor: waitFor) {
        case .park(let until):
            return .park(uuid: request.uuid, until: until)
        case .pair(let first):
            return .pair(with: first, relay: relay(side.transport, first.transport, directRelay: directRelay))
        case .reject:
            return .close(.waitingTableFull)
        }
    }

    /// How a pair of halves relays; `directRelay` says whether the direct relay runs.
    public static func relay(_ one: RelayTransport, _ other: RelayTransport, directRelay: Bool) -> Relay {
        guard one == .tcp, other == .tcp else { return .units }
        return directRelay ? .direct : .raw
    }

    /// How a half on `mine` forwards to its partner on `partner`.
    public static func forwarding(mine: RelayTransport, partner: RelayTransport) -> Forwarding {
        switch (mine, partner) {
        case (.tcp, .tcp): .raw
        case (.tcp, .webSocket): .framed
        case (.webSocket, _): .messages
        }
    }
}
