import APICore
import Hummingbird

/// http-api.md §3: the legacy single book, served from the caller's personal book. `GET /api/ab`
/// and the Sciter UI's `POST /api/ab/get` answer `{"data": "<document>"}`; `POST /api/ab` replaces
/// the book with an upload of up to `BodyLimit.legacyBook` bytes and answers 200 with an empty body.
struct LegacyAddressBookRoutes {
    let books: AddressBookService

    func register(
        router: Router<APIRequestContext>, authenticated: RouterGroup<APIRequestContext>,
        authentication: AuthenticationMiddleware
    ) {
        authenticated.get("ab") { _, context in try await download(context) }
        authenticated.post("ab/get") { _, context in try await download(context) }
        // Its own group: the whole book in one body is larger than the JSON limit of the other routes.
        let upload = router.group("api")
            .add(middleware: BodyLimitMiddleware(limit: BodyLimit.legacyBook))
            .add(middleware: authentication)
        upload.post("ab") { request, context in
            let user = try context.abCaller()
            let body = try await JSONBody.decode(LegacyBookUploadBody.self, from: request, limit: BodyLimit.legacyBook)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.replaceLegacyBook(with: body.upload, for: user)
            }
        }
    }

    private func download(_ context: APIRequestContext) async throws -> Response {
        let user = try context.abCaller()
        let contents = try await addressBookCall { () async throws(AddressBookError) in
            try await books.legacyBook(for: user)
        }
        return APIResponse.json(LegacyBookAnswer(contents))
    }
}
