/// Where API tokens live (`api_token`). Every write returns once committed.
public protocol APITokenStore: Sendable {
    /// `.conflict` when the name is taken.
    func insertToken(_ token: NewAPIToken, now: Int64) async throws(APIStoreError) -> APIToken
    func token(digest: [UInt8]) async throws(APIStoreError) -> APIToken?
    /// Every token, revoked ones included, newest first.
    func allTokens() async throws(APIStoreError) -> [APIToken]
    /// Revokes the token with this guid or name; `.notFound` when there is none, the token as it now is otherwise.
    func revokeToken(guidOrName: String, now: Int64) async throws(APIStoreError) -> APIToken
    func touchToken(id: APIToken.ID, lastUsedAt: Int64) async throws(APIStoreError)
}
