/// Deployment presets (http-api.md §2.2): a custom client built with `preset-address-book-name` puts
/// its own device into that shared book when it uploads its sysinfo, with the preset tag, alias,
/// shared password and note. This is the server acting on the administrator's configuration, so no
/// user's rule is checked; the book must exist (RustDesk's documentation asks for a name and tag that
/// exist in the console, so nothing here creates books), and a missing tag is created.
///
/// Every upload applies it again (hbbs restarts make all clients upload), so it only fills what is
/// empty: a device already in the book keeps the alias, note, password and tags a user gave it, and is
/// never listed twice.
extension AddressBookService {
    public func applyDevicePreset(deviceID: String, preset: AddressBookPreset) async -> DevicePresetOutcome {
        guard !deviceID.isEmpty, !preset.name.isEmpty else { return .invalid }
        let tag = preset.tag.isEmpty ? nil : preset.tag
        let patch = AddressBookPeerPatch(
            id: deviceID, password: preset.password, alias: preset.alias, note: preset.note, tags: tag.map { [$0] })
        guard preset.name.count <= limits.bookNameLength, (try? limits.validate(patch)) != nil else {
            logger.warning(
                "address-book preset ignored: a value is too long",
                metadata: ["peer.id": "\(deviceID)", "book": "\(preset.name.prefix(limits.bookNameLength))"])
            return .invalid
        }
        do {
            return try await apply(preset, tag: tag, to: deviceID)
        } catch {
            // storeCall logged it.
            return .unavailable
        }
    }

    private func apply(_ preset: AddressBookPreset, tag: String?, to deviceID: String)
        async throws(AddressBookError) -> DevicePresetOutcome
    {
        let found = try await storeCall("preset book") { () async throws(APIStoreError) in
            try await store.sharedBook(named: preset.name)
        }
        guard let book = found else {
            logger.notice(
                "address-book preset names no shared book",
                metadata: ["peer.id": "\(deviceID)", "book": "\(preset.name)"])
            return .noSuchBook
        }
        let (now, maxPeers) = (clock.now(), limits.peersPerBook)
        let peerTag = try await ensureTag(tag, in: book, now: now)
        let names = deviceNames.names(ofDevice: deviceID)
        let merged = try await storeCall("preset peer") { () async throws(APIStoreError) in
            try await store.mergePeer(bookID: book.id, id: deviceID, maxPeers: maxPeers, now: now) { stored in
                Self.presetPeer(stored ?? AddressBookPeer(id: deviceID), preset: preset, tag: peerTag, names: names)
            }
        }
        guard merged else {
            logger.notice("address-book preset skipped: the book is full", metadata: ["book": "\(book.guid)"])
            return .bookFull
        }
        logger.debug("address-book preset applied", metadata: ["peer.id": "\(deviceID)", "book": "\(book.guid)"])
        return .applied
    }

    /// The preset's tag, added to the book with its default colour when missing; nil when there is
    /// none, or when the book holds the most tags it may (the device then goes in without it).
    private func ensureTag(_ tag: String?, in book: AddressBook, now: Int64) async throws(AddressBookError) -> String? {
        guard let tag else { return nil }
        let (color, maxTags) = (AddressBookTag.defaultColor(for: tag), limits.tagsPerBook)
        let outcome = try await storeCall("preset tag") { () async throws(APIStoreError) in
            try await store.addTag(bookID: book.id, AddressBookTag(name: tag, color: color), maxTags: maxTags, now: now)
        }
        guard outcome != .full else {
            logger.notice(
                "address-book preset tag dropped: the book has too many tags", metadata: ["book": "\(book.guid)"])
            return nil
        }
        return tag
    }

    /// `peer` with its empty fields set from the preset and the device's names.
    static func presetPeer(_ peer: AddressBookPeer, preset: AddressBookPreset, tag: String?, names: PeerNames?)
        -> AddressBookPeer
    {
        var peer = peer
        if peer.alias.isEmpty { peer.alias = preset.alias }
        if peer.note.isEmpty { peer.note = preset.note }
        if peer.password.isEmpty { peer.password = preset.password }
        if peer.tags.isEmpty, let tag { peer.tags = [tag] }
        if let names { peer.fill(from: names) }
        return peer
    }
}

/// What became of a device's address-book preset.
public enum DevicePresetOutcome: Sendable, Equatable {
    /// The device is in the book (added, or its empty fields filled).
    case applied
    /// No shared book has the preset's name.
    case noSuchBook
    /// The device is new to the book and the book holds the most peers it may.
    case bookFull
    /// No device id or book name, or a value longer than a book accepts.
    case invalid
    /// The store failed (logged).
    case unavailable
}
