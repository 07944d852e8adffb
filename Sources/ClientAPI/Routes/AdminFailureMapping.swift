import APICore

/// Runs an admin service call and answers its typed failure the way `map` says: the one place the
/// admin routes turn a service's refusal into a status and `{"error": …}` text.
func answering<T, Failure: Error>(
    _ map: (Failure) -> APIFailure, _ body: () async throws(Failure) -> T
) async throws(APIFailure) -> T {
    do throws(Failure) {
        return try await body()
    } catch {
        throw map(error)
    }
}
