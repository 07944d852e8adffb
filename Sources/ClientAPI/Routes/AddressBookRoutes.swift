import APICore
import Hummingbird

/// http-api.md §4: the personal and shared books of the caller. Lists answer `{"total", "data"}`
/// (tags a bare array); every change answers 200 with an empty body (correction 2) or `{"error"}`:
/// 404 for an unknown book, 403 for a book the caller may not see or change, 400 for the rest.
/// Bodiless POSTs (`Content-Length: 0`) are the client's norm here; DELETEs carry a JSON array.
///
/// ab.py (admin-api.md §2) uses the same paths, reading with GET and an API token: the four list
/// paths take both verbs. Who calls decides what they reach (`bookCaller`): a user's session acts by
/// the share rules; an administrator's session or a token with `address_book` permission (read for
/// lists, read-write for changes) acts on every shared book, with ab.py's `name`, `id` and `alias`
/// filters. Book and rule management is `AddressBookAdminRoutes`.
struct AddressBookRoutes {
    let books: AddressBookService
    let administration: AddressBookAdministration
    let authentication: AuthenticationMiddleware

    /// `authenticated` is `/api` behind the JSON body limit and authentication; the legacy upload
    /// gets its own group on `router` for its larger limit.
    func register(router: Router<APIRequestContext>, authenticated: RouterGroup<APIRequestContext>) {
        let ab = authenticated.group("ab")
        bothVerbs(ab, "personal") { _, context in
            // Pro answers a token with a guid (presumably its maker's book); our tokens belong to no user,
            // and giving one a user's personal book would open that book to scripts. So: 403.
            guard let user = try context.bookCaller(.read).user else { throw APIFailure.needsUserSession }
            let book = try await addressBookCall { () async throws(AddressBookError) in
                try await books.personalBook(for: user)
            }
            return APIResponse.json(PersonalBookAnswer(guid: book.guid))
        }
        ab.post("settings") { _, _ in APIResponse.json(AddressBookSettingsAnswer(maxPeerOneAb: 0)) }
        bothVerbs(ab, "shared/profiles") { request, context in
            let caller = try context.bookCaller(.read, asClient: request.method == .post)
            let query = AdminQuery(request)
            let page = try await addressBookCall { () async throws(AddressBookError) in
                switch caller {
                case .user(let user): try await books.sharedProfiles(for: user, page: request.addressBookPage)
                case .administrator: try await administration.profiles(named: query.like("name"), page: query.page)
                }
            }
            return APIResponse.json(PageBody(total: page.total, data: page.items.map(AbProfileShape.init)))
        }
        bothVerbs(ab, "peers") { request, context in
            let caller = try context.bookCaller(.read, asClient: request.method == .post)
            let (book, page) = try await addressBookCall { () async throws(AddressBookError) in
                switch caller {
                case .user:
                    try await books.peers(
                        inBook: request.uri.queryParameters.get("ab") ?? "", for: caller, page: request.addressBookPage)
                case .administrator(let administrator):
                    try await Self.administratorsPeers(administration, request, by: administrator)
                }
            }
            let peers = page.items.map { AbPeerShape($0, personal: book.isPersonal) }
            return APIResponse.json(PageBody(total: page.total, data: peers))
        }
        bothVerbs(ab, "tags/:guid") { _, context in
            let (caller, guid) = try context.bookCallerAndBook(.read)
            let tags = try await addressBookCall { () async throws(AddressBookError) in
                try await books.tags(inBook: guid, for: caller)
            }
            return APIResponse.json(tags.map(AbTagShape.init))
        }
        registerChanges(ab)
        AddressBookAdminRoutes(administration: administration).register(ab)
        LegacyAddressBookRoutes(books: books).register(
            router: router, authenticated: authenticated, authentication: authentication)
    }

    /// ab.py `view-peer`: `ab`, and the `id` and `alias` filters, form-encoded.
    private static func administratorsPeers(
        _ administration: AddressBookAdministration, _ request: Request, by administrator: AdminCaller
    ) async throws(AddressBookError) -> (book: AddressBook, page: Page<ListedPeer>) {
        let query = AdminQuery(request)
        let filter = AddressBookPeerFilter(id: query.like("id"), alias: query.like("alias"))
        return try await administration.peers(
            inBook: query["ab"] ?? "", matching: filter, page: query.page, by: administrator)
    }

    /// The client reads with POST, ab.py with GET (admin-api.md §2): one handler for both.
    private func bothVerbs(
        _ group: RouterGroup<APIRequestContext>, _ path: RouterPath,
        _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response
    ) {
        group.get(path, use: handler)
        group.post(path, use: handler)
    }

    /// §4.7: peer and tag changes.
    private func registerChanges(_ ab: RouterGroup<APIRequestContext>) {
        ab.post("peer/add/:guid") { request, context in
            let (caller, guid) = try context.bookCallerAndBook(.readWrite)
            let body = try await JSONBody.decode(AbPeerBody.self, from: request, limit: BodyLimit.json)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.addPeer(body.patch, toBook: guid, for: caller)
            }
        }
        ab.put("peer/update/:guid") { request, context in
            let (caller, guid) = try context.bookCallerAndBook(.readWrite)
            let body = try await JSONBody.decode(AbPeerBody.self, from: request, limit: BodyLimit.json)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.updatePeer(body.patch, inBook: guid, for: caller)
            }
        }
        ab.delete("peer/:guid") { request, context in
            let (caller, guid) = try context.bookCallerAndBook(.readWrite)
            let ids = try await JSONBody.decode(AbStringList.self, from: request, limit: BodyLimit.json).items
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.deletePeers(ids, fromBook: guid, for: caller)
            }
        }
        ab.post("tag/add/:guid") { request, context in
            let (caller, guid) = try context.bookCallerAndBook(.readWrite)
            let tag = try await Self.tag(from: request)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.addTag(tag, toBook: guid, for: caller)
            }
        }
        ab.put("tag/rename/:guid") { request, context in
            let (caller, guid) = try context.bookCallerAndBook(.readWrite)
            let body = try await JSONBody.decode(AbTagRenameBody.self, from: request, limit: BodyLimit.json)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.renameTag(from: body.old, to: body.new, inBook: guid, for: caller)
            }
        }
        ab.put("tag/update/:guid") { request, context in
            let (caller, guid) = try context.bookCallerAndBook(.readWrite)
            let tag = try await Self.tag(from: request)
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.setTagColor(tag, inBook: guid, for: caller)
            }
        }
        ab.delete("tag/:guid") { request, context in
            let (caller, guid) = try context.bookCallerAndBook(.readWrite)
            let names = try await JSONBody.decode(AbStringList.self, from: request, limit: BodyLimit.json).items
            return try await addressBookChange { () async throws(AddressBookError) in
                try await books.deleteTags(names, fromBook: guid, for: caller)
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
            case .bookNotFound, .ruleNotFound: .notFound
            case .forbidden, .readOnly: .forbidden
            case .unavailable: .serviceUnavailable
            case .peerNotFound, .tagNotFound, .tagExists, .nameTaken, .ruleExists, .full, .invalid: .badRequest
            }
        self.init(status, error.message)
    }
}

extension APIRequestContext {
    /// The legacy book's caller: a user's session only.
    func abCaller() throws -> User { try caller().user }

    /// Who acts on a book: a user's session by the share rules, exactly as the client expects; an
    /// administrator's session or an API token with `address_book` at `level` as administrator. A token
    /// without that permission is refused here (403), before any book is looked at.
    /// With `asClient` (the client's POST on the list routes) an administrator's session gets the
    /// client's view too, so an administrator's address-book tab shows what it showed before: the
    /// books shared with them, not every book.
    func bookCaller(_ level: APIPermissions.Level, asClient: Bool = false) throws -> BookCaller {
        if apiToken == nil, let authenticated, !authenticated.user.isAdmin || asClient {
            return .user(authenticated.user)
        }
        return .administrator(try administrator(.addressBook, level))
    }

    /// `bookCaller(level)` and the `:guid` path parameter.
    func bookCallerAndBook(_ level: APIPermissions.Level) throws -> (BookCaller, String) {
        (try bookCaller(level), parameters.get("guid") ?? "")
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
