/// What hbbs's connection policy loads: every enabled-or-not user's group and flags, the sessions
/// that have not expired at `now`, and every access rule.
public protocol PolicyStore: Sendable {
    func accessFacts(now: Int64) async throws(APIStoreError) -> AccessFacts
}
