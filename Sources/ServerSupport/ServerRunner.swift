import Logging
import ServiceLifecycle

/// Runs a server's long-lived services in one `ServiceGroup`.
///
/// SIGTERM, SIGINT and SIGQUIT (the signals that end the Rust servers) start a graceful shutdown:
/// services stop accepting, finish what is in flight (pending database commits) and return.
public enum ServerRunner {
    public static func run(services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint, .sigquit],
                logger: logger
            )
        )
        try await group.run()
    }
}
