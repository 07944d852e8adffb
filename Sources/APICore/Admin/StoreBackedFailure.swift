/// An admin service's refusal that can stand for what its store said: a taken name, or the store's
/// own failure. `storeCall` maps `.notFound` to what is missing in that call.
protocol StoreBackedFailure: Error {
    static var nameTaken: Self { get }
    static func store(_ error: APIStoreError) -> Self
}

/// Runs a store call, its `.notFound` answered as `onNotFound`, `.conflict` as `nameTaken`.
func storeCall<T, Failure: StoreBackedFailure>(
    onNotFound: Failure, _ body: () async throws(APIStoreError) -> T
) async throws(Failure) -> T {
    do throws(APIStoreError) {
        return try await body()
    } catch .notFound {
        throw onNotFound
    } catch .conflict {
        throw Failure.nameTaken
    } catch {
        throw Failure.store(error)
    }
}
