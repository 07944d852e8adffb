import GRDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One row of the `peer` table as hbbs uses it (spec hbbs.md §4.1): the identity a peer
/// registered with. Produced by `PeerDatabase` reads; the rendezvous peer registry copies it
/// into its in-memory record.
public struct PeerRecord: Sendable, Equatable {
    /// Primary key: 16 bytes for rows we or the reference insert.
    public var guid: [UInt8]
    /// The peer ID (at least 6 bytes in practice, no upper bound enforced by the reference).
    public var id: String
    /// RegisterPk.uuid at first registration; never updated.
    public var uuid: [UInt8]
    /// The peer's public key from its last accepted RegisterPk.
    public var pk: [UInt8]
    /// `info.ip`: the source IP text of the last accepted RegisterPk that changed something.
    public var ip: String
    /// Columns the open-source server never writes; kept so nothing read is lost.
    public var user: [UInt8]?
    public var status: Int64?

    public init(
        guid: [UInt8], id: String, uuid: [UInt8], pk: [UInt8], ip: String, user: [UInt8]? = nil, status: Int64? = nil
    ) {
        self.guid = guid
        self.id = id
        self.uuid = uuid
        self.pk = pk
        self.ip = ip
        self.user = user
        self.status = status
    }

    /// Decodes a row selected with `PeerSchema.selectColumns`, in that order.
    ///
    /// Lenient like SQLite's own typing: a blob column holding text yields its UTF-8 bytes,
    /// a NULL or non-text `info` yields ip "". Only a value that cannot mean anything (an
    /// integer guid, a NULL id) makes the row malformed; this never traps on stored data.
    init(row: Row) throws(PeerStoreError) {
        guard let guid = Self.bytes(row[0]) else { throw .malformedRow(reason: "guid is not a blob") }
        guard let id = Self.text(row[1]) else { throw .malformedRow(reason: "id is not text") }
        self.guid = guid
        self.id = id
        self.uuid = Self.bytes(row[2]) ?? []
        self.pk = Self.bytes(row[3]) ?? []
        self.user = Self.bytes(row[4])
        self.status = Int64.fromDatabaseValue(row[5])
        self.ip = Self.text(row[6]).map(PeerInfo.decodeIP) ?? ""
    }

    private static func bytes(_ value: DatabaseValue) -> [UInt8]? {
        switch value.storage {
        case .blob(let data): [UInt8](data)
        case .string(let string): Array(string.utf8)
        default: nil
        }
    }

    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .string(let string): string
        case .blob(let data): String(decoding: data, as: UTF8.self)
        default: nil
        }
    }
}
