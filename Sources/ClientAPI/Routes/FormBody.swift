import Hummingbird

/// A body that is JSON (scripts) or `application/x-www-form-urlencoded` (the small HTML pages the
/// invitation and TOTP links open, which post without JavaScript).
enum FormBody {
    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        guard isForm(request) else { return try await JSONBody.decode(T.self, from: request, limit: BodyLimit.json) }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: BodyLimit.json)
        } catch {
            throw APIFailure.tooLarge
        }
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer))
        } catch {
            throw APIFailure.malformedBody
        }
    }
}

/// The few HTML pages a link from hbbs opens: plain, escaped, no scripts, no external resources.
enum HTMLPage {
    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func page(_ title: String, _ body: String) -> String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(escape(title))</title>
        <style>body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em}\
        input{display:block;margin:.3em 0 1em;padding:.4em;width:100%}code{word-break:break-all}</style>
        </head><body><h1>\(escape(title))</h1>
        \(body)
        </body></html>
        """
    }

    static func message(_ title: String, _ text: String) -> String {
        page(title, "<p>\(escape(text))</p>")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

enum InvitationPages {
    static let invalid = HTMLPage.message("Invitation", "This invitation is invalid, used or expired.")

    static func form(name: String, token: String) -> String {
        HTMLPage.page(
            "RustDesk account",
            """
            <p>Choose a password for the account <b>\(HTMLPage.escape(name))</b>.</p>
            <form method="post" action="accept">
            <input type="hidden" name="token" value="\(HTMLPage.escape(token))">
            <label>Password<input type="password" name="password" autocomplete="new-password" required></label>
            <button type="submit">Set password</button>
            </form>
            """)
    }

    static func accepted(name: String) -> String {
        HTMLPage.message(
            "RustDesk account", "The password of \(name) is set. Log in from the RustDesk client with this account.")
    }
}
