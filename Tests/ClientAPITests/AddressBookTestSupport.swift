import APICore
import Foundation

/// Users and books for the address-book tests, made through the services as the admin API will.
extension APITestServer {
    /// Creates a user whose password is `pw-<name>`, optionally in a user group.
    @discardableResult
    func bookUser(_ name: String, group: String? = nil) async throws -> User {
        try await api.services.accounts.store.insertUser(
            NewUser(name: name, passwordHash: PasswordHasher.fastForTests.hash("pw-\(name)"), groupName: group),
            now: wallClock.seconds)
    }

    var books: AddressBookService { api.services.addressBooks }

    /// The admin user.
    func adminUser() async throws -> User {
        guard let admin = try await api.services.accounts.store.user(named: "admin") else {
            throw TestSetupFailed(what: "admin exists")
        }
        return admin
    }

    struct TestSetupFailed: Error {
        let what: String
    }
}

extension RustDeskAPIClient {
    /// `POST /api/ab/personal` as the client sends it (no body) and the guid it answers.
    func personalGUID(_ token: String) async throws -> String {
        let answer = try await call("POST", "/api/ab/personal", token: token)
        guard answer.status == 200, let guid = answer.object?["guid"] as? String else {
            throw LoginFailed(answer: answer.body)
        }
        return guid
    }

    /// One page of a book's peers as the client asks for it.
    func bookPeers(_ token: String, _ guid: String, current: Int = 1, pageSize: Int = 100) async throws -> Answer {
        try await call("POST", "/api/ab/peers?current=\(current)&pageSize=\(pageSize)&ab=\(guid)", token: token)
    }

    /// The peers of a page as objects.
    func peerObjects(_ answer: Answer) -> [[String: any Sendable]] {
        (answer.object?["data"] as? [any Sendable])?.compactMap { $0 as? [String: any Sendable] } ?? []
    }

    /// A tag list answer as (name, colour) pairs, in order.
    func tagPairs(_ answer: Answer) -> [TagPair] {
        (answer.array ?? []).compactMap { element in
            guard let tag = element as? [String: any Sendable], let name = tag["name"] as? String,
                let color = tag["color"] as? Int
            else { return nil }
            return TagPair(name: name, color: color)
        }
    }

    /// A page answer's `total` and number of items, or nil when it is not a page.
    func pageShape(_ answer: Answer) -> PageShape? {
        guard let total = answer.object?["total"] as? Int, let data = answer.object?["data"] as? [any Sendable] else {
            return nil
        }
        return PageShape(total: total, count: data.count)
    }

    struct TagPair: Equatable {
        let name: String
        let color: Int
    }

    struct PageShape: Equatable {
        let total: Int
        let count: Int
    }
}
