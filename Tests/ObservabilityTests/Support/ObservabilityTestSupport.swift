import Logging
import NIOCore
import NIOPosix
import Observability
import Prometheus
import RustDeskNIO
import Synchronization

/// A readiness that tests flip.
final class ReadinessSwitch: Sendable {
    /// Guards the current answer.
    private let state = Mutex<Readiness>(.ready)

    func set(_ readiness: Readiness) { state.withLock { $0 = readiness } }
    var current: Readiness { state.withLock { $0 } }
}

/// Starts an `ObservabilityServer` on 127.0.0.1 and an ephemeral port, runs `body` with it and its
/// port, and closes it afterwards, whether `body` succeeds or throws.
func withEndpoint<Result>(
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    readiness: @escaping @Sendable () -> Readiness = { .ready },
    beforeScrape: (@Sendable () -> Void)? = nil,
    limits: ObservabilityLimits = ObservabilityLimits(),
    clock: ServerClock = .system,
    _ body: (ObservabilityServer, Int) async throws -> Result
) async throws -> Result {
    let server = ObservabilityServer(
        host: "127.0.0.1", port: 0, registry: registry, readiness: readiness, beforeScrape: beforeScrape,
        limits: limits, clock: clock, group: MultiThreadedEventLoopGroup.singleton,
        logger: Logger(label: "observability-test"))
    let address = try await server.start()
    guard let port = address.port else {
        await server.close()
        throw ChannelError.unknownLocalAddress
    }
    do {
        let result = try await body(server, port)
        await server.close()
        return result
    } catch {
        await server.close()
        throw error
    }
}

/// The value of `series` (name and labels exactly as exposed) in a text exposition; nil if absent.
func value(of series: String, in exposition: String) -> Double? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}
