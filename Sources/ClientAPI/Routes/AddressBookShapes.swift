import APICore

/// The JSON shapes of http-api.md §4, named as the spec names them. Answers are encoded exactly as
/// the client reads them; bodies are decoded leniently (unknown keys ignored, a number where a string
/// is expected taken as its text).

/// `POST /api/ab/personal`: without `guid` the client would fall back to the legacy book (correction 12).
struct PersonalBookAnswer: Encodable {
    let guid: String
}

/// `POST /api/ab/settings`: 0 = no limit announced (the server still refuses a full book with an error).
struct AddressBookSettingsAnswer: Encodable {
    let maxPeerOneAb: Int

    enum CodingKeys: String, CodingKey {
        case maxPeerOneAb = "max_peer_one_ab"
    }
}

/// AbProfile (§4.3). `info` is always an object; `info.password` only when the book has one.
struct AbProfileShape: Encodable {
    let guid: String
    let name: String
    let owner: String
    let note: String
    let rule: Int
    let info: [String: String]

    init(_ profile: SharedBookProfile) {
        guid = profile.book.guid
        name = profile.book.name
        owner = profile.ownerName
        note = profile.book.note
        rule = profile.rule.rawValue
        info = profile.book.password.isEmpty ? [:] : ["password": profile.book.password]
    }
}

/// A tag with its colour, unsigned (§4.5, correction 10).
struct AbTagShape: Encodable {
    let name: String
    let color: UInt32

    init(_ tag: AddressBookTag) {
        name = tag.name
        color = tag.color
    }
}

/// `POST /api/ab/tag/add` and `PUT /api/ab/tag/update`: `{"name", "color"}`. A missing or impossible
/// colour leaves `color` nil, for the route to refuse clearly.
struct AbTagBody: Decodable {
    let name: String
    let color: UInt32?

    enum CodingKeys: String, CodingKey { case name, color }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = container.lenientString(.name)
        color = container.abTagColor(.color)
    }
}

/// `PUT /api/ab/tag/rename`: `{"old", "new"}`.
struct AbTagRenameBody: Decodable {
    let old: String
    let new: String

    enum CodingKeys: String, CodingKey { case old, new }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        old = container.lenientString(.old)
        new = container.lenientString(.new)
    }
}

/// The JSON array of strings the DELETE routes carry (peer ids or tag names). A number counts as its
/// text; other elements are skipped. Anything but an array is malformed.
struct AbStringList: Decodable {
    let items: [String]

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var items: [String] = []
        while !container.isAtEnd {
            if try container.decodeNil() {
                continue
            } else if let text = try? container.decode(String.self) {
                items.append(text)
            } else if let number = try? container.decode(Int64.self) {
                items.append(String(number))
            } else {
                _ = try container.decode(AbSkippedValue.self)
            }
        }
        self.items = items
    }
}

/// Decodes from any JSON value and keeps nothing: moves an unkeyed container past an element.
struct AbSkippedValue: Decodable {
    init(from decoder: any Decoder) throws {}
}

extension KeyedDecodingContainer {
    /// A string field that may be absent: nil when missing or null, a number as its text.
    func abOptionalString(_ key: Key) -> String? {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return String(number) }
        return nil
    }

    /// A flag sent as a bool or as the strings "true"/"false" (`forceAlwaysRelay`); nil when absent.
    func abOptionalBool(_ key: Key) -> Bool? {
        if let flag = try? decodeIfPresent(Bool.self, forKey: key) { return flag }
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text == "true" || text == "1" }
        return nil
    }

    /// A list of strings (a peer's tags); elements of other types are dropped. nil when absent.
    func abOptionalStrings(_ key: Key) -> [String]? {
        guard let list = try? decodeIfPresent(AbStringList.self, forKey: key) else { return nil }
        return list.items
    }

    /// A tag colour: 0...4294967295 or a negative 32-bit value (the same ARGB bits); nil otherwise.
    func abTagColor(_ key: Key) -> UInt32? {
        if let number = try? decodeIfPresent(Int64.self, forKey: key) { return AddressBookTag.color(fromJSON: number) }
        if let number = try? decodeIfPresent(Double.self, forKey: key), let whole = Int64(exactly: number) {
            return AddressBookTag.color(fromJSON: whole)
        }
        return nil
    }
}
