/// http-api.md §4.7: changes to a book's peers and tags, by the client or by ab.py. Each needs write
/// permission (rule 2 or more, deletes included: correction 5) and is committed before it returns;
/// an administrator's change to a shared book is then recorded in the console audit.
extension AddressBookService {
    /// Adds a peer; an id the book already holds is updated with the fields sent instead (a retried
    /// add must not fail). A personal book drops a sent `password`, a shared book a sent `hash`.
    /// Names the request leaves out or empty come from what the device reported, when it did.
    public func addPeer(_ patch: AddressBookPeerPatch, toBook guid: String, for caller: BookCaller)
        async throws(AddressBookError)
    {
        try limits.validate(patch)
        let book = try await open(guid, for: caller, toDo: .write)
        var patch = patch.forBook(personal: book.isPersonal)
        if let names = deviceNames.names(ofDevice: patch.id) { patch.fill(from: names) }
        let (now, maxPeers) = (clock.now(), limits.peersPerBook)
        let added = try await storeCall("add peer") { () async throws(APIStoreError) in
            try await store.upsertPeer(bookID: book.id, patch, maxPeers: maxPeers, now: now)
        }
        guard added else { throw .full("Address book is full (max \(maxPeers) peers)") }
        await recordAdministration(.addAddressBookPeer, by: caller, on: book, [("peer", patch.id)])
    }

    /// Changes the fields the patch carries on an existing peer.
    public func updatePeer(_ patch: AddressBookPeerPatch, inBook guid: String, for caller: BookCaller)
        async throws(AddressBookError)
    {
        try limits.validate(patch)
        let book = try await open(guid, for: caller, toDo: .write)
        let patch = patch.forBook(personal: book.isPersonal)
        let now = clock.now()
        let updated = try await storeCall("update peer") { () async throws(APIStoreError) in
            try await store.updatePeer(bookID: book.id, patch, now: now)
        }
        guard updated else { throw .peerNotFound }
        await recordAdministration(.updateAddressBookPeer, by: caller, on: book, [("peer", patch.id)])
    }

    /// Removes peers by id; ids the book does not hold are ignored.
    public func deletePeers(_ ids: [String], fromBook guid: String, for caller: BookCaller)
        async throws(AddressBookError)
    {
        let book = try await open(guid, for: caller, toDo: .write)
        let now = clock.now()
        try await storeCall("delete peers") { () async throws(APIStoreError) in
            try await store.deletePeers(bookID: book.id, ids: ids, now: now)
        }
        await recordAdministration(
            .deleteAddressBookPeers, by: caller, on: book, [("peers", ids.joined(separator: ","))])
    }

    /// Adds a tag; a name the book already has is an error (http-api.md §4.7).
    public func addTag(_ tag: AddressBookTag, toBook guid: String, for caller: BookCaller)
        async throws(AddressBookError)
    {
        try limits.validate(tagName: tag.name)
        let book = try await open(guid, for: caller, toDo: .write)
        let (now, maxTags) = (clock.now(), limits.tagsPerBook)
        let outcome = try await storeCall("add tag") { () async throws(APIStoreError) in
            try await store.addTag(bookID: book.id, tag, maxTags: maxTags, now: now)
        }
        switch outcome {
        case .added: await recordAdministration(.addAddressBookTag, by: caller, on: book, [("tag", tag.name)])
        case .exists: throw .tagExists
        case .full: throw .full("Too many tags (max \(maxTags))")
        }
    }

    /// Renames a tag, on the peers that carry it too.
    public func renameTag(from old: String, to new: String, inBook guid: String, for caller: BookCaller)
        async throws(AddressBookError)
    {
        try limits.validate(tagName: new)
        let book = try await open(guid, for: caller, toDo: .write)
        guard old != new else { return }
        let now = clock.now()
        let outcome = try await storeCall("rename tag") { () async throws(APIStoreError) in
            try await store.renameTag(bookID: book.id, from: old, to: new, now: now)
        }
        switch outcome {
        case .renamed:
            await recordAdministration(.updateAddressBookTag, by: caller, on: book, [("tag", old), ("new_name", new)])
        case .missing: throw .tagNotFound
        case .exists: throw .tagExists
        }
    }

    public func setTagColor(_ tag: AddressBookTag, inBook guid: String, for caller: BookCaller)
        async throws(AddressBookError)
    {
        let book = try await open(guid, for: caller, toDo: .write)
        let now = clock.now()
        let changed = try await storeCall("tag colour") { () async throws(APIStoreError) in
            try await store.setTagColor(bookID: book.id, name: tag.name, color: tag.color, now: now)
        }
        guard changed else { throw .tagNotFound }
        await recordAdministration(
            .updateAddressBookTag, by: caller, on: book, [("tag", tag.name), ("color", "\(tag.color)")])
    }

    /// Removes tags from the book and from its peers; unknown names are ignored.
    public func deleteTags(_ names: [String], fromBook guid: String, for caller: BookCaller)
        async throws(AddressBookError)
    {
        let book = try await open(guid, for: caller, toDo: .write)
        let now = clock.now()
        try await storeCall("delete tags") { () async throws(APIStoreError) in
            try await store.deleteTags(bookID: book.id, names: names, now: now)
        }
        await recordAdministration(
            .deleteAddressBookTags, by: caller, on: book, [("tags", names.joined(separator: ","))])
    }
}
