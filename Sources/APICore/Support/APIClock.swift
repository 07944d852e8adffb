#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Wall-clock time in Unix seconds, as sessions, audit records and TOTP need it; tests inject their own.
public struct APIClock: Sendable {
    public let now: @Sendable () -> Int64

    public init(now: @escaping @Sendable () -> Int64) {
        self.now = now
    }

    public static let system = APIClock { Int64(Date().timeIntervalSince1970) }
}
