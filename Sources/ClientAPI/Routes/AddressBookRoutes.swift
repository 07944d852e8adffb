import APICore
import Hummingbird

/// http-api.md §4: the personal and shared books of the caller. Lists answer `{"total", "data"}`
/// (tags a bare array); every change answers 200 with an empty body (correction 2) or `{"error"}`:
/// 404 for an unknown book, 403 for a book the caller may not see or change, 400 for the rest.
/// Bodiless POSTs (`Content-Length: 0`) are the client's norm here; DELETEs carry a JSON array.
struct AddressBookRoutes {
    let books: AddressBookService
    let authentication: AuthenticationMiddleware

    /// `authenticated` is `/api` behind the JSON body limit and authentication; the legacy upload
    /// gets its own group on `router` for its larger limit.
    func register(router: Router<APIRequestContext>, authenticated: RouterGroup<APIRequestContext>) {
        let ab = authenticated.group("ab")
        ab.post("personal") { _, context in
            let user = try context.abCaller()
            let book = try await addressBookCall { () async throws(AddressBookError) in
                try await books.personalBook(for: user)
            }
            return APIResponse.json(PersonalBookAnswer(guid: book.guid))
        }
        ab.post("settings") { _, _ in APIResponse.json(AddressBookSettingsAnswer(maxPeerOneAb: 0)) }
        ab.post("shared/profiles") { request, context in
            let user = try context.abCaller()
            let page = try await addressBookCall { () async throws(AddressBookError) in
                try await books.sharedProfiles(for: user, page: request.addressBookPage)
            }
            return APIResponse.json(PageBody(total: page.total, data: page.items.map(AbProfileShape.init)))
        }
        ab.post("peers") { request, context in
            let user = try context.abCaller()
            let guid = request.uri.queryParameters.get("ab") ?? ""
            let (book, page) = try await addressBookCall { () async throws(AddressBookError) in
                try await books.peers(inBook: guid, for: user, page: request.addressBookPage)
            }
            let peers = page.items.map { AbPeerShape($0, personal: book.isPersonal) }
            return APIResponse.json(PageBody(total: page.total, data: peers))
        }
        ab.post("tags/:guid") { _, context in
            let (user, guid) = try context.abCallerAndBook()
            let tags = try await addressBookCall { () async throws(AddressBookError) in
                try await books.tags(inBook: guid, for: user)
            }
            return APIResponse.json(tags.map(AbTagShape.init))
        }
        registerChanges(ab)
        LegacyAddressBookRoutes(books: books).register(
            router: router, authenticated: authenticated, authentication: authentication)
    }

    /// §4.7: peer and tag changes.
    private func registerChanges(_ ab: RouterGroup<APIRequestContext>) {
        ab.post("peer/add/:guid") { request, context in
            let (user, guid) = try context.abCallerAndBook()
            let body = try await JSONBody.decode(AbPeerBody.self, from: request, limit: BodyLimit.json)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.addPeer(body.patch, toBook: guid, for: user)
            }
        }
        ab.put("peer/update/:guid") { request, context in
            let (user, guid) = try context.abCallerAndBook()
            let body = try await JSONBody.decode(AbPeerBody.self, from: request, limit: BodyLimit.json)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.updatePeer(body.patch, inBook: guid, for: user)
            }
        }
        ab.delete("peer/:guid") { request, context in
            let (user, guid) = try context.abCallerAndBook()
            let ids = try await JSONBody.decode(AbStringList.self, from: request, limit: BodyLimit.json).items
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.deletePeers(ids, fromBook: guid, for: user)
            }
        }
        ab.post("tag/add/:guid") { request, context in
            let (user, guid) = try context.abCallerAndBook()
            let tag = try await Self.tag(from: request)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.addTag(tag, toBook: guid, for: user)
            }
        }
        ab.put("tag/rename/:guid") { request, context in
            let (user, guid) = try context.abCallerAndBook()
            let body = try await JSONBody.decode(AbTagRenameBody.self, from: request, limit: BodyLimit.json)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.renameTag(from: body.old, to: body.new, inBook: guid, for: user)
            }
        }
        ab.put("tag/update/:guid") { request, context in
            let (user, guid) = try context.abCallerAndBook()
            let tag = try await Self.tag(from: request)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.setTagColor(tag, inBook: guid, for: user)
            }
        }
        ab.delete("tag/:guid") { request, context in
            let (user, guid) = try context.abCallerAndBook()
            let names = try await JSONBody.decode(AbStringList.self, from: request, limit: BodyLimit.json).items
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.deleteTags(names, fromBook: guid, for: user)
            }
        }
    }

    private static func tag(from request: Request) async throws -> AddressBookTag {
        let body = try await JSONBody.decode(AbTagBody.self, from: request, limit: BodyLimit.json)
        guard let color = body.color else { throw APIFailure(.badRequest, "Tag colour must be a 32-bit ARGB number") }
        return AddressBookTag(name: body.name, color: color)
    }
}

/// Runs a service call, turning its error into the answer the client reads.
func addressBookCall<T: Sendable>(_ body: () async throws(AddressBookError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw APIFailure(error)
    }
}

/// Runs a change and answers 200 with an empty body (correction 2).
func addressBookChange(_ body: () async throws(AddressBookError) -> Void) async throws -> Response {
    try await addressBookCall(body)
    return APIResponse.empty
}

extension APIFailure {
    init(_ error: AddressBookError) {
        let status: HTTPResponse.Status =
            switch error {
            case .bookNotFound: .notFound
            case .forbidden, .readOnly: .forbidden
            case .unavailable: .serviceUnavailable
            case .peerNotFound, .tagNotFound, .tagExists, .nameTaken, .full, .invalid: .badRequest
            }
        self.init(status, error.message)
    }
}

extension APIRequestContext {
    func abCaller() throws -> User { try caller().user }

    /// The caller and the `:guid` path parameter.
    func abCallerAndBook() throws -> (User, String) {
        (try caller().user, parameters.get("guid") ?? "")
    }
}

extension Request {
    /// `current` and `pageSize` from the query, clamped (`PageRequest`).
    var addressBookPage: PageRequest {
        PageRequest(
            current: uri.queryParameters.get("current").flatMap { Int($0) },
            pageSize: uri.queryParameters.get("pageSize").flatMap { Int($0) })
    }
}
