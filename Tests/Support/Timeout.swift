/// What a test helper throws when what it waits for does not come in time.
public struct TestTimeout: Error, CustomStringConvertible {
    public let what: String

    public init(what: String = "an outcome") { self.what = what }

    public var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with `TestTimeout` when `timeout` of real time passes first.
public func withTimeout<T: Sendable>(
    _ timeout: Duration, _ what: String = "an operation", _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TestTimeout(what: what)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TestTimeout(what: what) }
        return first
    }
}
