import APICore
import Hummingbird

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

enum TOTPPages {
    static let start = HTMLPage.page(
        "Two-factor authentication",
        """
        <p>Set up TOTP for your RustDesk account: sign in with your password, add the key to an
        authenticator app, then enter the code it shows.</p>
        <form method="post" action="setup">
        <label>Account name<input name="username" autocomplete="username" required></label>
        <label>Password<input type="password" name="password" autocomplete="current-password" required></label>
        <button type="submit">Continue</button>
        </form>
        """)

    static func confirm(_ enrolment: AccountService.TOTPEnrolment) -> String {
        HTMLPage.page(
            "Two-factor authentication",
            """
            <p>Add this key to your authenticator app (as a time-based key), or open the link on the
            phone that has the app:</p>
            <p><code>\(HTMLPage.escape(enrolment.secret))</code></p>
            <p><a href="\(HTMLPage.escape(enrolment.uri))">\(HTMLPage.escape(enrolment.uri))</a></p>
            <form method="post" action="confirm">
            <input type="hidden" name="handle" value="\(HTMLPage.escape(enrolment.handle))">
            <label>Code from the app<input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
            <button type="submit">Enable</button>
            </form>
            """)
    }

    static let done = HTMLPage.message(
        "Two-factor authentication", "TOTP is set up. Log in from the RustDesk client; it will ask for the code.")
}
