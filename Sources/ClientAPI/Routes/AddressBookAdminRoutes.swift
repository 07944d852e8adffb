import APICore
import Hummingbird

/// ab.py's book and rule management (admin-api.md §2), under `/api/ab`, behind the `address_book`
/// permission (an administrator's session, or an API token: read for `GET rules`, read-write for the
/// rest): `POST shared/add`, `PUT shared/update/profile`, `DELETE shared` (a JSON array of book guids),
/// `GET rules?ab=`, `POST rule`, `PATCH rule` and `DELETE rules` (a JSON array of rule guids).
/// Changes answer 200 with an empty body, failures `{"error"}` as the client's book routes do.
struct AddressBookAdminRoutes {
    let administration: AddressBookAdministration

    func register(_ ab: RouterGroup<APIRequestContext>) {
        ab.post("shared/add") { request, context in
            let caller = try context.administrator(.addressBook, .readWrite)
            let body = try await JSONBody.decode(AbBookBody.self, from: request, limit: BodyLimit.json)
            guard let name = body.name else { throw APIFailure(.badRequest, "name required") }
            return try await addressBookChange { () async throws(AddressBookError) in
                _ = try await administration.createBook(
                    name: name, note: body.note ?? "", password: body.password ?? "", by: caller)
            }
        }
        ab.put("shared/update/profile") { request, context in
            let caller = try context.administrator(.addressBook, .readWrite)
            let body = try await JSONBody.decode(AbBookBody.self, from: request, limit: BodyLimit.json)
            guard let guid = body.guid else { throw APIFailure(.badRequest, "guid required") }
            return try await addressBookChange { () async throws(AddressBookError) in
                _ = try await administration.updateBook(
                    guid: guid, name: body.name, note: body.note, password: body.password, ownerName: body.owner,
                    by: caller)
            }
        }
        ab.delete("shared") { request, context in
            let caller = try context.administrator(.addressBook, .readWrite)
            let guids = try await JSONBody.decode(AbStringList.self, from: request, limit: BodyLimit.json).items
            return try await addressBookChange { () async throws(AddressBookError) in
                try await administration.deleteBooks(guids: guids, by: caller)
            }
        }
        registerRules(ab)
    }

    private func registerRules(_ ab: RouterGroup<APIRequestContext>) {
        ab.get("rules") { request, context in
            _ = try context.administrator(.addressBook, .read)
            let query = AdminQuery(request)
            let page = try await addressBookCall { () async throws(AddressBookError) in
                try await administration.rules(inBook: query["ab"] ?? "", page: query.page)
            }
            return APIResponse.json(PageBody(total: page.total, data: page.items.map(AbRuleShape.init)))
        }
        ab.post("rule") { request, context in
            let caller = try context.administrator(.addressBook, .readWrite)
            let body = try await JSONBody.decode(AbRuleBody.self, from: request, limit: BodyLimit.json)
            let (bookGUID, rule, target) = try body.newRule()
            return try await addressBookChange { () async throws(AddressBookError) in
                _ = try await administration.addRule(bookGUID: bookGUID, target: target, rule: rule, by: caller)
            }
        }
        ab.patch("rule") { request, context in
            let caller = try context.administrator(.addressBook, .readWrite)
            let body = try await JSONBody.decode(AbRuleBody.self, from: request, limit: BodyLimit.json)
            let guid = try body.requiredGUID()
            let rule = try body.requiredRule()
            return try await addressBookChange { () async throws(AddressBookError) in
                try await administration.updateRule(guid: guid, rule: rule, by: caller)
            }
        }
        ab.delete("rules") { request, context in
            let caller = try context.administrator(.addressBook, .readWrite)
            let guids = try await JSONBody.decode(AbStringList.self, from: request, limit: BodyLimit.json).items
            return try await addressBookChange { () async throws(AddressBookError) in
                try await administration.deleteRules(guids: guids, by: caller)
            }
        }
    }
}
