/// Which page of a list a request wants (http-api.md §0.5: `current` is 1-based, the client asks for
/// 100 a page). Absurd values are clamped, never refused: `current` to 1...1,000,000 and `pageSize`
/// to 1...1000 (100 when missing or unreadable), so a request can neither overflow the offset nor ask
/// for an unbounded page. Never clamp below the client's 100: it computes its next page from its own
/// size. Every paged list of the API (address books, the group tab) takes this.
public struct PageRequest: Sendable, Equatable {
    public static let defaultSize = 100
    public static let maxSize = 1_000
    public static let maxCurrent = 1_000_000

    public let current: Int
    public let size: Int

    public init(current: Int?, pageSize: Int?) {
        self.current = min(max(current ?? 1, 1), Self.maxCurrent)
        self.size = min(max(pageSize ?? Self.defaultSize, 1), Self.maxSize)
    }

    /// From the query's text values; unreadable text counts as missing.
    public init(current: String?, pageSize: String?) {
        self.init(current: current.flatMap { Int($0) }, pageSize: pageSize.flatMap { Int($0) })
    }

    /// Rows to skip: at most 999,999,000, far inside `Int`.
    public var offset: Int { (current - 1) * size }
}

/// One page of a list and the list's full length, which the client pages by (`{"total", "data"}`).
public struct Page<Item: Sendable>: Sendable {
    public var total: Int
    public var items: [Item]

    public init(total: Int, items: [Item]) {
        self.total = total
        self.items = items
    }
}

extension Page: Equatable where Item: Equatable {}
