import APICore
import Logging
import ServiceLifecycle

/// Deletes expired sessions once an hour, so the session table holds live logins only (an expired
/// token is already refused when used; this only reclaims the rows). A service of hbbs's group.
struct SessionJanitor: Service {
    let accounts: AccountService
    let interval: Duration
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await accounts.store.deleteExpiredSessions(now: accounts.clock.now())
                    if removed > 0 { logger.info("expired sessions removed", metadata: ["count": "\(removed)"]) }
                } catch {
                    logger.warning("cannot remove expired sessions", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
