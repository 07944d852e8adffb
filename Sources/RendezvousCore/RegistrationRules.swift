import RustDeskCore

/// The decisions of UDP registration (spec/hbbs.md §5.1, §5.2) as pure functions over one peer
/// record. The UDP handler calls them inside `PeerRegistry.withPeer` and carries out the result.
public enum RegistrationRules {
    public struct HeartbeatOutcome: Equatable, Sendable {
        public var requestPk: Bool
        /// The source IP differs from the recorded one (logged while the peer is not flapping).
        public var ipChanged: Bool
        /// Kept unformatted: formatting an address on every heartbeat cost ~4 % of the UDP path.
        var previous: PreviousAddress

        /// The recorded address before this heartbeat, as text for the IP-change log.
        public var previousAddress: String {
            switch previous {
            case .none: ""
            case .socket(let address): address.description
            case .infoIP(let text): text
            }
        }
    }

    enum PreviousAddress: Equatable, Sendable {
        case none
        case socket(SocketAddr)
        case infoIP(String)
    }

    /// RegisterPeer from `source`. Unknown IDs get `request_pk` and no record is created.
    public static func heartbeat(
        _ record: inout RegisteredPeer?, source: SocketAddr, now: Milliseconds
    ) -> HeartbeatOutcome {
        // Read through the optional in place: copying the record would retain its key block.
        guard let recorded = record?.socketAddr, let hasPk = record?.hasPk else {
            return HeartbeatOutcome(requestPk: true, ipChanged: false, previous: .none)
        }
        let ipChanged: Bool
        let previous: PreviousAddress
        if recorded.port != 0 {
            ipChanged = source.ip.normalized != recorded.ip.normalized
            previous = .socket(recorded)
        } else {
            let infoIP = record?.infoIP ?? ""
            ipChanged = !sameIP(infoIP, source.ip)
            previous = .infoIP(infoIP)
        }
        // Loopback sources never count as an IP change; unlike the reference we also recognise
        // the IPv4-mapped loopback a dual-stack socket reports (spec README, decision 3).
        let change = ipChanged && !source.ip.normalized.isLoopback
        let requestPk = !hasPk || change
        if !requestPk {
            record?.socketAddr = source
            record?.lastRegTime = now
        }
        let flapping = (record?.registerPkCount ?? 0) > 2
        return HeartbeatOutcome(requestPk: requestPk, ipChanged: change && !flapping, previous: previous)
    }

    public enum RegisterPkOutcome: Equatable, Sendable {
        /// Missing uuid or pk: no reply at all.
        case ignore
        /// Reply now with this result; nothing to store.
        case reply(RegisterPkResult)
        /// Accepted without changes: reply OK now.
        case unchanged
        /// Accepted with changes already applied in memory: save `save`, reply OK once committed.
        case save(PeerSave, ipChanged: Bool)
    }

    /// The row to write: upserted by guid, so a queued insert followed by updates stays correct.
    public struct PeerSave: Equatable, Sendable {
        public var guid: [UInt8]
        public var id: String
        public var uuid: [UInt8]
        public var pk: [UInt8]
        public var infoIP: String

        /// Public so that stores and their tests, outside this module, can build one.
        public init(guid: [UInt8], id: String, uuid: [UInt8], pk: [UInt8], infoIP: String) {
            self.guid = guid
            self.id = id
            self.uuid = uuid
            self.pk = pk
            self.infoIP = infoIP
        }
    }

    /// RegisterPk from `source` after the IP blocker allowed it (`allowedByIPBlocker`), in the spec's
    /// order. `sourceIPText` is the IP as the socket reported it (stored in `info`).
    /// `newGUID` is called only when a new row is needed.
    public static func registerPk(
        _ record: inout RegisteredPeer?, id: String, uuid: [UInt8], pk: [UInt8], source: SocketAddr,
        sourceIPText: String, allowedByIPBlocker: () -> Bool, newGUID: () -> [UInt8], now: Milliseconds
    ) -> RegisterPkOutcome {
        if uuid.isEmpty || pk.isEmpty { return .ignore }
        if id.utf8.count < 6 { return .reply(.uuidMismatch) }
        guard allowedByIPBlocker() else { return .reply(.tooFrequent) }

        var peer = record ?? .empty(now: now)
        let changed: Bool
        let ipChanged: Bool
        if peer.uuid.isEmpty {
            changed = true
            ipChanged = false
        } else if peer.uuid == uuid {
            let ipDiffers = !sameIP(peer.infoIP, source.ip)
            if ipDiffers && peer.pk != pk { return .reply(.uuidMismatch) }
            ipChanged = ipDiffers
            changed = peer.pk != pk || ipChanged
        } else {
            return .reply(.uuidMismatch)
        }

        guard countBurst(&peer, now: now) else { return .reply(.tooFrequent) }

        guard changed else {
            record = peer
            return .unchanged
        }
        peer.socketAddr = source
        peer.uuid = uuid
        peer.pk = pk
        peer.lastRegTime = now
        peer.infoIP = sourceIPText
        if peer.guid.isEmpty { peer.guid = newGUID() }
        record = peer
        let save = PeerSave(guid: peer.guid, id: id, uuid: uuid, pk: pk, infoIP: sourceIPText)
        return .save(save, ipChanged: ipChanged)
    }

    /// The per-ID burst limit of §5.2 step 6: a window of 6 s holding at most three RegisterPks (ID
    /// changes included). Counts this one; false when the window is full.
    static func countBurst(_ peer: inout RegisteredPeer, now: Milliseconds) -> Bool {
        if now.wholeSeconds(since: peer.registerPkTime) > 6 {
            peer.registerPkCount = 0
        } else if peer.registerPkCount > 2 {
            return false
        }
        peer.registerPkCount += 1
        peer.registerPkTime = now
        return true
    }

    /// After a failed save: forget the key we could not store, so the next heartbeat asks for
    /// RegisterPk again and the write is retried (the client was answered SERVER_ERROR).
    public static func saveFailed(_ record: inout RegisteredPeer?, save: PeerSave) {
        guard var peer = record, peer.pk == save.pk else { return }
        peer.pk = []
        record = peer
    }

    /// Compares a stored IP text with a socket's IP, treating `::ffff:a.b.c.d` and `a.b.c.d` alike so
    /// a database written by a dual-stack server matches an IPv4-only listener.
    static func sameIP(_ storedText: String, _ ip: IPAddress) -> Bool {
        guard let stored = IPAddress(storedText) else { return storedText == ip.description }
        return stored.normalized == ip.normalized
    }
}

/// RegisterPkResponse results hbbs sends (spec/messages.md §1.3), kept free of the generated types.
public enum RegisterPkResult: Int, Sendable, Equatable {
    case ok = 0
    case uuidMismatch = 2
    /// ID changes only: the new ID is taken.
    case idExists = 3
    case tooFrequent = 4
    /// ID changes only: the new ID is not 6–16 ASCII letters, digits or `_` starting with a letter.
    case invalidIDFormat = 5
    case notSupport = 6
    case serverError = 7
}
