/// What an API token may do (issue 13): per area, nothing, read, or read and write. Written and read
/// as `AREA:LEVEL` pairs separated by commas (`user:rw,device:r`), the form `rustdesk-utils api-token
/// create --permissions` takes, the database stores and the token list shows.
public struct APIPermissions: Sendable, Equatable, CustomStringConvertible {
    public enum Area: String, Sendable, CaseIterable {
        case device
        case deviceGroup = "device_group"
        case user
        case userGroup = "user_group"
        case strategy
        case addressBook = "address_book"
        case audit
    }

    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case none = 0
        case read = 1
        case readWrite = 2

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        var text: String {
            switch self {
            case .none: "none"
            case .read: "r"
            case .readWrite: "rw"
            }
        }
    }

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownArea(String)
        case unknownLevel(String)
        case malformed(String)
        case repeated(Area)
        case empty

        public var description: String {
            let areas = Area.allCases.map(\.rawValue).joined(separator: ", ")
            return switch self {
            case .unknownArea(let area): "unknown area '\(area)' (areas: \(areas))"
            case .unknownLevel(let level): "unknown level '\(level)' (levels: r, rw)"
            case .malformed(let pair): "'\(pair)' is not AREA:LEVEL"
            case .repeated(let area): "area '\(area.rawValue)' given twice"
            case .empty: "no permissions given (e.g. user:rw,device:r)"
            }
        }
    }

    private var levels: [Area: Level]

    public init(_ levels: [Area: Level] = [:]) {
        self.levels = levels.filter { $0.value != .none }
    }

    /// Every area read and write: what an administrator's session may do.
    public static let everything = APIPermissions(
        Dictionary(uniqueKeysWithValues: Area.allCases.map { ($0, .readWrite) }))

    public subscript(area: Area) -> Level { levels[area] ?? .none }

    public func allows(_ area: Area, _ level: Level) -> Bool { self[area] >= level }

    /// `user:rw,device:r`; spaces around items are allowed, `none` is accepted and dropped.
    public static func parse(_ text: String) -> Result<APIPermissions, ParseError> {
        var levels: [Area: Level] = [:]
        let items = text.split(separator: ",").map { $0.trimmingSpacesAndTabs }
        for item in items where !item.isEmpty {
            let pair = item.split(separator: ":", omittingEmptySubsequences: false)
            guard pair.count == 2 else { return .failure(.malformed(String(item))) }
            guard let area = Area(rawValue: String(pair[0]).lowercased()) else {
                return .failure(.unknownArea(String(pair[0])))
            }
            guard let level = Level.allCases.first(where: { $0.text == String(pair[1]).lowercased() }) else {
                return .failure(.unknownLevel(String(pair[1])))
            }
            guard levels[area] == nil else { return .failure(.repeated(area)) }
            levels[area] = level
        }
        let permissions = APIPermissions(levels)
        return permissions.levels.isEmpty ? .failure(.empty) : .success(permissions)
    }

    /// Areas in a fixed order, `none` left out.
    public var description: String {
        Area.allCases.compactMap { area in levels[area].map { "\(area.rawValue):\($0.text)" } }.joined(separator: ",")
    }

    /// `{"device": "r", "user": "rw", …}` with every area, for the API's token list.
    public var byArea: [String: String] {
        Dictionary(uniqueKeysWithValues: Area.allCases.map { ($0.rawValue, self[$0].text) })
    }
}
