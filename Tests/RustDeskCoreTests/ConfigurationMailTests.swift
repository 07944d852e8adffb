import RustDeskCore
import Testing

/// SMTP_* and API_PUBLIC_URL (invitations): absent means no mail and links from the request's Host;
/// what is given is checked at start, and the password never shows in the configuration's text.
@Suite("Configuration: mail and public URL")
struct ConfigurationMailTests {
    private func api(_ environment: [String: String]) throws(ConfigurationError) -> APIConfiguration {
        try HbbsConfiguration(arguments: HbbsArguments(), inputs: memoryInputs(environment: environment)).api
    }

    private func error(_ environment: [String: String]) -> ConfigurationError? {
        configurationError { () throws(ConfigurationError) in try api(environment) }
    }

    @Test func absentMeansNoMailAndNoPublicURL() throws {
        let api = try api([:])
        #expect(api.mail == nil)
        #expect(api.publicURL == nil)
        #expect(try self.api(["SMTP_HOST": " ", "API_PUBLIC_URL": ""]).mail == nil)
    }

    @Test func everySetting() throws {
        let api = try api([
            "SMTP_HOST": "mail.example.com", "SMTP_PORT": "587", "SMTP_USER": "desk", "SMTP_PASSWORD": "s3cret ",
            "SMTP_FROM": "desk@example.com", "API_PUBLIC_URL": "https://desk.example.com/",
        ])
        #expect(
            api.mail
                == MailConfiguration(
                    host: "mail.example.com", port: 587, user: "desk", password: "s3cret ", from: "desk@example.com"))
        #expect(api.publicURL == "https://desk.example.com")
        #expect(api.mail.map { "\($0)" } == "smtp://desk@mail.example.com:587 from desk@example.com")
        #expect(try self.api(["SMTP_HOST": "127.0.0.1", "SMTP_FROM": "a@b.c"]).mail?.port == 25)
    }

    @Test(arguments: [
        (["SMTP_HOST": "mail.example.com"], ConfigurationOption.smtpFrom),
        (["SMTP_HOST": "mail.example.com", "SMTP_FROM": "desk"], .smtpFrom),
        (["SMTP_HOST": "mail.example.com", "SMTP_FROM": "a@b.c", "SMTP_PORT": "0"], .smtpPort),
        (["SMTP_HOST": "mail.example.com", "SMTP_FROM": "a@b.c", "SMTP_PORT": "x"], .smtpPort),
        (["SMTP_HOST": "mail example", "SMTP_FROM": "a@b.c"], .smtpHost),
        (["API_PUBLIC_URL": "desk.example.com"], .apiPublicURL),
        (["API_PUBLIC_URL": "https://"], .apiPublicURL),
        (["API_PUBLIC_URL": "https://desk.example.com/a b"], .apiPublicURL),
    ])
    func badValuesStopTheStart(environment: [String: String], option: ConfigurationOption) {
        #expect(error(environment)?.option == option)
    }
}
