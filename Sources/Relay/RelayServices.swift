import Logging
import RelayCore
import RustDeskCore
import RustDeskNIO

/// What every relay connection handler of one `RelayServer` shares: settings, the console-visible
/// controls, the waiting table, the metrics and the logger. Created by `RelayServer`.
struct RelayServices: Sendable {
    let settings: RelaySettings
    let controls: RelayControls
    /// Timers of every connection, on the clock `controls.now` reads.
    let clock: ServerClock
    let room: RelayWaitingRoom
    let console: RelayConsole
    let logger: Logger
    let metrics: HbbrMetrics
    /// Where TCP↔TCP pairs are relayed; nil relays them through NIO like the others.
    let direct: DirectRelayLoop?
}
