import APICore

/// The JSON shapes of ab.py's book and rule commands (admin-api.md §2). ab.py sends `null` for an
/// option it was not given (`"note": null`), so every field is optional and null means absent.

/// `POST /api/ab/shared/add` `{"name", "note"?, "info"?: {"password"}}` and `PUT
/// /api/ab/shared/update/profile` `{"guid", "name"?, "note"?, "owner"?, "info"?: {"password"}}`.
struct AbBookBody: Decodable {
    let guid: String?
    let name: String?
    let note: String?
    /// The owner's user name.
    let owner: String?
    /// `info.password`: the book's default password for new peers.
    let password: String?

    enum CodingKeys: String, CodingKey { case guid, name, note, owner, info }
    enum InfoKeys: String, CodingKey { case password }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guid = container.abOptionalString(.guid)
        name = container.abOptionalString(.name)
        note = container.abOptionalString(.note)
        owner = container.abOptionalString(.owner)
        let info = try? container.nestedContainer(keyedBy: InfoKeys.self, forKey: .info)
        password = info?.abOptionalString(.password)
    }
}

/// `POST /api/ab/rule` `{"guid": <book guid>, "rule", "user"?, "group"?}` (neither: everyone) and
/// `PATCH /api/ab/rule` `{"guid": <rule guid>, "rule"}`.
struct AbRuleBody: Decodable {
    let guid: String?
    let rule: Int?
    let user: String?
    let group: String?

    enum CodingKeys: String, CodingKey { case guid, rule, user, group }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guid = container.abOptionalString(.guid)
        rule = try? container.decodeIfPresent(Int.self, forKey: .rule)
        user = container.abOptionalString(.user)
        group = container.abOptionalString(.group)
    }

    func requiredGUID() throws -> String {
        guard let guid, !guid.isEmpty else { throw APIFailure(.badRequest, "guid required") }
        return guid
    }

    func requiredRule() throws -> ShareRule {
        guard let rule, let value = ShareRule(rawValue: rule) else {
            throw APIFailure(.badRequest, "rule must be 1 (read), 2 (read/write) or 3 (full control)")
        }
        return value
    }

    /// The book, the grant and whom it names. An empty name is refused rather than read as
    /// "everyone", which would share the book far wider than meant.
    func newRule() throws -> (book: String, rule: ShareRule, target: ShareRuleTargetName) {
        let (book, rule) = (try requiredGUID(), try requiredRule())
        switch (user, group) {
        case (nil, nil): return (book, rule, .everyone)
        case (let user?, nil) where !user.isEmpty: return (book, rule, .user(user))
        case (nil, let group?) where !group.isEmpty: return (book, rule, .group(group))
        case (.some, .some): throw APIFailure(.badRequest, "A rule names a user or a group, not both")
        default: throw APIFailure(.badRequest, "user or group must not be empty")
        }
    }
}

/// A rule as ab.py `view-rule` reads it: `guid` and `rule` (1 read, 2 read/write, 3 full control),
/// with whom it names by name (`user` or `group`; neither for everyone).
struct AbRuleShape: Encodable {
    let guid: String
    let user: String?
    let group: String?
    let rule: Int
    let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case guid, user, group, rule
        case createdAt = "created_at"
    }

    init(_ listing: ShareRuleListing) {
        guid = listing.guid
        user = listing.userName
        group = listing.groupName
        rule = listing.rule.rawValue
        createdAt = listing.createdAt
    }
}
