/// What an administrative change was, as the console audit records it (admin-api.md §2, audits.py):
/// `typ` is the area (0 group, 1 user, 2 device, 3 address book) and `iop` the operation, with Pro's
/// codes where Pro has one (0…22). Changes Pro has no code for (API tokens, which Pro manages only
/// in its web console; strategies; ab.py's changes to a shared book's profile, peers and tags) use
/// codes from 100 on; audits.py prints those as "Unknown (100)".
public enum ConsoleAction: Sendable, Equatable, CaseIterable {
    case addGroup
    case addUser
    case addDevice
    case deleteGroups
    case disconnectDevice
    case enableUsers
    case disableUsers
    case enableDevices
    case disableDevices
    case updateGroup
    case updateUser
    case updateDevice
    case deleteUser
    case deleteDevice
    case addAddressBook
    case deleteAddressBook
    case renameAddressBook
    case addAddressBookRule
    case deleteAddressBookRule
    case updateAddressBookRule
    /// A shared book's note, password or owner changed (a new name is `renameAddressBook`).
    case updateAddressBook
    case addAddressBookPeer
    case updateAddressBookPeer
    case deleteAddressBookPeers
    case addAddressBookTag
    /// A tag's colour or name changed.
    case updateAddressBookTag
    case deleteAddressBookTags
    case createAPIToken
    case revokeAPIToken
    case updateStrategy
    case assignStrategy

    /// audits.py's console types.
    public var typ: Int {
        switch self {
        case .addGroup, .deleteGroups, .updateGroup: 0
        case .addUser, .enableUsers, .disableUsers, .updateUser, .deleteUser, .createAPIToken, .revokeAPIToken: 1
        case .addDevice, .disconnectDevice, .enableDevices, .disableDevices, .updateDevice, .deleteDevice,
            .updateStrategy, .assignStrategy:
            2
        case .addAddressBook, .deleteAddressBook, .renameAddressBook, .addAddressBookRule, .deleteAddressBookRule,
            .updateAddressBookRule, .updateAddressBook, .addAddressBookPeer, .updateAddressBookPeer,
            .deleteAddressBookPeers, .addAddressBookTag, .updateAddressBookTag, .deleteAddressBookTags:
            3
        }
    }

    /// audits.py's operation codes.
    public var iop: Int {
        switch self {
        case .addGroup: 1
        case .addUser: 2
        case .addDevice: 3
        case .deleteGroups: 4
        case .disconnectDevice: 5
        case .enableUsers: 6
        case .disableUsers: 7
        case .enableDevices: 8
        case .disableDevices: 9
        case .updateGroup: 10
        case .updateUser: 11
        case .updateDevice: 12
        case .deleteUser: 13
        case .deleteDevice: 14
        case .addAddressBook: 15
        case .deleteAddressBook: 16
        case .renameAddressBook: 17
        case .addAddressBookRule: 20
        case .deleteAddressBookRule: 21
        case .updateAddressBookRule: 22
        case .updateAddressBook: 110
        case .addAddressBookPeer: 111
        case .updateAddressBookPeer: 112
        case .deleteAddressBookPeers: 113
        case .addAddressBookTag: 114
        case .updateAddressBookTag: 115
        case .deleteAddressBookTags: 116
        case .createAPIToken: 100
        case .revokeAPIToken: 101
        case .updateStrategy: 102
        case .assignStrategy: 103
        }
    }
}

/// One console audit record: who did what, to what, when, from where.
public struct ConsoleRecord: Sendable, Equatable {
    public var guid: String
    /// `ConsoleAction.typ` and `.iop` (kept as numbers: rows a newer hbbs wrote may carry others).
    public var typ: Int
    public var iop: Int
    /// The user's or the token's name (`AdminCaller.operatorName`).
    public var operatorName: String
    /// `user`, `token` or `tool`.
    public var operatorKind: String
    /// The session reference or the token's guid.
    public var credential: String
    public var ip: String
    /// What was changed, as a short JSON object text (`{"user":"erin"}`).
    public var info: String
    public var createdAt: Int64

    public init(
        guid: String = "", typ: Int, iop: Int, operatorName: String, operatorKind: String, credential: String,
        ip: String, info: String, createdAt: Int64
    ) {
        self.guid = guid
        self.typ = typ
        self.iop = iop
        self.operatorName = operatorName
        self.operatorKind = operatorKind
        self.credential = credential
        self.ip = ip
        self.info = info
        self.createdAt = createdAt
    }

    /// `action` by `caller` at `now`, `info` given as key–value pairs.
    public init(_ action: ConsoleAction, by caller: AdminCaller, info: KeyValuePairs<String, String>, at now: Int64) {
        self.init(action, by: caller, pairs: info.map { ($0.key, $0.value) }, at: now)
    }

    /// `action` by `caller` at `now`, `info` built at run time.
    public init(_ action: ConsoleAction, by caller: AdminCaller, pairs info: [(String, String)], at now: Int64) {
        let (kind, credential): (String, String) =
            switch caller.identity {
            case .administrator(_, let session): ("user", session)
            case .token(let token): ("token", token.guid)
            case .localTool: ("tool", "")
            }
        self.init(
            typ: action.typ, iop: action.iop, operatorName: caller.operatorName, operatorKind: kind,
            credential: credential, ip: caller.ip,
            info: Self.json(info), createdAt: now)
    }

    /// A flat JSON object of strings, keys in the order given.
    static func json(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(quoted($0.0)):\(quoted($0.1))" }.joined(separator: ",") + "}"
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
