/// ab.py's rule commands: a shared book's share rules, each addressed by its own guid. A rule names
/// a user or a user group by name, or everyone; one rule per target and book.
extension AddressBookAdministration {
    /// ab.py `view-rule`: one page of the book's rules, oldest first.
    public func rules(inBook guid: String, page: PageRequest) async throws(AddressBookError) -> Page<ShareRuleListing> {
        let book = try await books.sharedBook(guid)
        return try await books.storeCall("rules") { () async throws(APIStoreError) in
            try await store.shareRules(bookID: book.id, page: page)
        }
    }

    /// ab.py `add-rule`: `target` gets `rule` on the shared book; a second rule for the same target is
    /// refused (`update-rule` changes a rule).
    public func addRule(bookGUID: String, target: ShareRuleTargetName, rule: ShareRule, by caller: AdminCaller)
        async throws(AddressBookError) -> ShareRuleListing
    {
        let book = try await books.sharedBook(bookGUID)
        let now = books.clock.now()
        let outcome = try await books.storeCall("add rule") { () async throws(APIStoreError) in
            try await store.insertShareRule(bookID: book.id, target: target, rule: rule, now: now)
        }
        switch outcome {
        case .added(let listing):
            await audit.record(
                .addAddressBookRule, by: caller,
                [
                    "address_book": book.name, "rule": listing.guid, "target": listing.targetText,
                    "grant": "\(rule.rawValue)",
                ])
            return listing
        case .exists: throw .ruleExists
        case .unknownUser: throw .invalid("No such user")
        case .unknownGroup: throw .invalid("No such user group")
        }
    }

    /// ab.py `update-rule`: what the rule grants.
    public func updateRule(guid: String, rule: ShareRule, by caller: AdminCaller) async throws(AddressBookError) {
        let listing = try await existingRule(guid)
        let changed = try await books.storeCall("update rule") { () async throws(APIStoreError) in
            try await store.setShareRule(guid: guid, rule: rule)
        }
        guard changed else { throw .ruleNotFound }
        await audit.record(
            .updateAddressBookRule, by: caller,
            ["address_book": listing.bookName, "rule": guid, "target": listing.targetText, "grant": "\(rule.rawValue)"])
    }

    /// ab.py `delete-rule`: deletes these rules. Every guid must name a rule, or nothing is deleted.
    public func deleteRules(guids: [String], by caller: AdminCaller) async throws(AddressBookError) {
        guard guids.count <= Self.maxGuidsPerDelete else { throw .invalid("Too many guids in one request") }
        var listings: [ShareRuleListing] = []
        for guid in Self.distinct(guids) { listings.append(try await existingRule(guid)) }
        try await books.storeCall("delete rules") { () async throws(APIStoreError) in
            try await store.deleteShareRules(guids: guids)
        }
        for listing in listings {
            await audit.record(
                .deleteAddressBookRule, by: caller,
                ["address_book": listing.bookName, "rule": listing.guid, "target": listing.targetText])
        }
    }

    private func existingRule(_ guid: String) async throws(AddressBookError) -> ShareRuleListing {
        let found = try await books.storeCall("rule") { () async throws(APIStoreError) in
            try await store.shareRule(guid: guid)
        }
        guard let found else { throw .ruleNotFound }
        return found
    }
}
