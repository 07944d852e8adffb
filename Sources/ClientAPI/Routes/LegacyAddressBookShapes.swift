import APICore
import Foundation

/// The legacy book's wire form (http-api.md §3): `{"data": "<JSON document as a string>"}`, the
/// document being `{"tags": [string], "peers": [Peer], "tag_colors": "<JSON object tag → colour>"}`
/// (the colours again a string inside).
struct LegacyBookAnswer: Encodable {
    let data: String

    init(_ contents: LegacyBookContents) {
        let colors = Dictionary(contents.tags.map { ($0.name, $0.color) }, uniquingKeysWith: { first, _ in first })
        let document = LegacyBookDocument(
            tags: contents.tags.map(\.name), peers: contents.peers.map { AbPeerShape($0, personal: true) },
            tagColors: Self.jsonText(colors) ?? "{}")
        data = Self.jsonText(document) ?? #"{"tags":[],"peers":[],"tag_colors":"{}"}"#
    }

    private struct LegacyBookDocument: Encodable {
        let tags: [String]
        let peers: [AbPeerShape]
        let tagColors: String

        enum CodingKeys: String, CodingKey {
            case tags, peers
            case tagColors = "tag_colors"
        }
    }

    private static func jsonText(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// `POST /api/ab`'s body. `data` is the document as a string (as every client sends it); a document
/// sent as an object is taken too. Within it, non-string tags are dropped, a peer that is not an
/// object makes the body malformed, and `tag_colors` that cannot be read leave colours to the server.
struct LegacyBookUploadBody: Decodable {
    let upload: LegacyBookUpload

    enum CodingKeys: String, CodingKey { case data }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let document: LegacyBookDocumentBody
        if let text = try? container.decode(String.self, forKey: .data) {
            document = try JSONDecoder().decode(LegacyBookDocumentBody.self, from: Data(text.utf8))
        } else {
            document = try container.decode(LegacyBookDocumentBody.self, forKey: .data)
        }
        upload = LegacyBookUpload(peers: document.peers, tags: document.tags, colors: document.colors)
    }
}

/// The legacy document inside `data`.
private struct LegacyBookDocumentBody: Decodable {
    let tags: [String]
    let peers: [AddressBookPeerPatch]
    let colors: [String: UInt32]

    enum CodingKeys: String, CodingKey {
        case tags, peers
        case tagColors = "tag_colors"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tags = container.abOptionalStrings(.tags) ?? []
        peers = try container.decodeIfPresent([AbPeerBody].self, forKey: .peers)?.map(\.patch) ?? []
        if let text = try? container.decode(String.self, forKey: .tagColors),
            let colors = try? JSONDecoder().decode(TagColorMap.self, from: Data(text.utf8))
        {
            self.colors = colors.colors
        } else {
            colors = (try? container.decode(TagColorMap.self, forKey: .tagColors))?.colors ?? [:]
        }
    }
}

/// `{"tag": colour, …}`; entries whose value is not a colour are dropped.
private struct TagColorMap: Decodable {
    let colors: [String: UInt32]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var colors: [String: UInt32] = [:]
        for key in container.allKeys {
            if let color = container.abTagColor(key) { colors[key.stringValue] = color }
        }
        self.colors = colors
    }

    struct AnyKey: CodingKey {
        let stringValue: String
        let intValue: Int? = nil

        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }
}
