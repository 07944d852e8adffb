import Foundation
import TestSupport

/// Speaks HTTP to the API the way the RustDesk client does (http-api.md §0.4): the Flutter client's
/// `application/json; charset=utf-8` bodies, bodiless POSTs with `Content-Length: 0`, DELETE with a
/// JSON array, and `Authorization: Bearer` on user-scoped calls. One keep-alive connection.
final class RustDeskAPIClient: Sendable {
    let http: HTTPTestClient

    init(port: Int) async throws {
        http = try await HTTPTestClient.connect(port: port)
    }

    struct Answer: Sendable {
        let status: Int
        let contentType: String?
        let body: String

        /// The body parsed as a JSON object, or nil.
        var object: [String: any Sendable]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]))
                as? [String: any Sendable]
        }

        var array: [any Sendable]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) as? [any Sendable]
        }

        var error: String? { object?["error"] as? String }
    }

    /// One request; `json` is sent as it is (nil = no body, `Content-Length: 0` on POST/PUT/DELETE).
    func call(
        _ method: String, _ target: String, token: String? = nil, json: String? = nil,
        contentType: String? = "application/json; charset=utf-8", extraHeaders: [(String, String)] = []
    ) async throws -> Answer {
        var headers = extraHeaders
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        if let json {
            if let contentType { headers.append(("Content-Type", contentType)) }
            try await http.send(method, target, headers: headers, body: json)
        } else {
            if method != "GET" && method != "HEAD" { headers.append(("Content-Length", "0")) }
            try await http.send(method, target, headers: headers)
        }
        let response = try await http.response(toHead: method == "HEAD", timeout: .seconds(20))
        return Answer(status: response.status, contentType: response.header("content-type"), body: response.text)
    }

    /// `POST /api/login`, first step, as the Flutter client sends it.
    func login(_ username: String, _ password: String, id: String = "123456789", uuid: String = "dXVpZA==")
        async throws -> Answer
    {
        try await call(
            "POST", "/api/login",
            json: """
                {"username":\(quoted(username)),"password":\(quoted(password)),"id":"\(id)","uuid":"\(uuid)",\
                "autoLogin":true,"type":"account","verificationCode":"","tfaCode":"",\
                "deviceInfo":{"os":"linux","type":"client","name":"test-host"}}
                """)
    }

    /// Logs in and returns the access token, failing the test's expectation when it cannot.
    func token(_ username: String, _ password: String) async throws -> String {
        let answer = try await login(username, password)
        guard answer.status == 200, let token = answer.object?["access_token"] as? String else {
            throw LoginFailed(answer: answer.body)
        }
        return token
    }

    func close() async {
        await http.close()
    }

    struct LoginFailed: Error {
        let answer: String
    }
}

/// A JSON string literal for `text`.
func quoted(_ text: String) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed]),
        let array = String(data: data, encoding: .utf8)
    else { return "\"\"" }
    return String(array.dropFirst().dropLast())
}
