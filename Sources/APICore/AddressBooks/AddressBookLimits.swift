/// How much one book and one request may hold, so an authenticated client cannot grow the database or
/// a request without bound. The defaults are far above what the client's UI produces.
public struct AddressBookLimits: Sendable, Equatable {
    /// Peers per book; also bounds the legacy book's full replacement.
    public var peersPerBook: Int
    public var tagsPerBook: Int
    public var tagsPerPeer: Int
    /// Characters of a peer ID (RustDesk IDs are short; a host name or IP address for direct access).
    public var idLength: Int
    public var tagLength: Int
    /// Characters of alias, username, hostname, platform, login and device-group names, RDP fields.
    public var fieldLength: Int
    public var noteLength: Int
    /// Characters of a saved password hash or a shared password.
    public var secretLength: Int
    /// Characters of a shared book's name.
    public var bookNameLength: Int

    public init(
        peersPerBook: Int = 10_000, tagsPerBook: Int = 1_000, tagsPerPeer: Int = 100, idLength: Int = 256,
        tagLength: Int = 128, fieldLength: Int = 256, noteLength: Int = 4_096, secretLength: Int = 512,
        bookNameLength: Int = 128
    ) {
        self.peersPerBook = peersPerBook
        self.tagsPerBook = tagsPerBook
        self.tagsPerPeer = tagsPerPeer
        self.idLength = idLength
        self.tagLength = tagLength
        self.fieldLength = fieldLength
        self.noteLength = noteLength
        self.secretLength = secretLength
        self.bookNameLength = bookNameLength
    }

    /// Checks one peer's fields; the error names the field.
    public func validate(_ patch: AddressBookPeerPatch) throws(AddressBookError) {
        guard !patch.id.isEmpty else { throw .invalid("Peer id is required") }
        guard patch.id.count <= idLength else { throw .invalid("Peer id is too long") }
        let fields: [(String, String?, Int)] = [
            ("alias", patch.alias, fieldLength), ("username", patch.username, fieldLength),
            ("hostname", patch.hostname, fieldLength), ("platform", patch.platform, fieldLength),
            ("loginName", patch.loginName, fieldLength), ("device_group_name", patch.deviceGroupName, fieldLength),
            ("rdpPort", patch.rdpPort, fieldLength), ("rdpUsername", patch.rdpUsername, fieldLength),
            ("note", patch.note, noteLength), ("hash", patch.hash, secretLength),
            ("password", patch.password, secretLength),
        ]
        for (name, value, limit) in fields where (value?.count ?? 0) > limit {
            throw .invalid("Peer \(name) is too long")
        }
        if let tags = patch.tags {
            guard tags.count <= tagsPerPeer else { throw .invalid("Too many tags on a peer (max \(tagsPerPeer))") }
            for tag in tags { try validate(tagName: tag) }
        }
    }

    public func validate(tagName: String) throws(AddressBookError) {
        guard !tagName.isEmpty else { throw .invalid("Tag name is required") }
        guard tagName.count <= tagLength else { throw .invalid("Tag name is too long") }
    }
}
