import APICore
import Foundation
import TestSupport
import Testing

/// What the ab.py route tests share: reading pages, books by name, and the console audit's codes.
extension RustDeskAPIClient {
    /// The `data` items of a page answer.
    func items(_ answer: Answer) -> [[String: any Sendable]] {
        answer.object?["data"] as? [[String: any Sendable]] ?? []
    }

    /// ab.py `view-ab --ab-name`: the shared book of this exact name, through `GET /api/ab/shared/profiles`.
    func sharedBook(named name: String, _ token: String) async throws -> [String: any Sendable]? {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
        let answer = try await call(
            "GET", "/api/ab/shared/profiles?name=\(encoded)&pageSize=30&current=1", token: token)
        return items(answer).first { $0["name"] as? String == name }
    }

    /// The console audit's `iop`s of address-book records (typ 3), newest first.
    func addressBookAuditCodes(_ token: String) async throws -> [Int] {
        let answer = try await call("GET", "/api/audits/console?pageSize=100&current=1", token: token)
        return items(answer).filter { $0["typ"] as? Int == 3 }.map { $0["iop"] as? Int ?? -1 }
    }
}
