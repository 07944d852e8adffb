import RustDeskCore
import Synchronization

@testable import RendezvousCore

/// A console over fresh state with a hand-driven monotonic clock, a fixed wall clock and a fake
/// resolver that drops every list item containing "bad" and records what it was asked.
final class ConsoleFixture: Sendable {
    let tables: RendezvousTables
    /// Guards the manual monotonic time in milliseconds.
    let clock = Mutex<Milliseconds>(0)
    /// Guards the lists the fake resolver was asked to parse.
    let resolverCalls = Mutex<[String]>([])
    static let wallClock: Int64 = 1_700_000_000  // 2023-11-14T22:13:20Z

    init(relays: [String] = []) {
        tables = RendezvousTables(relayServers: relays, alwaysUseRelay: false)
    }

    var console: HbbsConsole {
        HbbsConsole(
            tables: tables,
            now: { [self] in clock.withLock { $0 } },
            wallClockSeconds: { Self.wallClock },
            resolveServerList: { [self] list in
                resolverCalls.withLock { $0.append(list) }
                return list.split(separator: ",").map(String.init).filter { !$0.contains("bad") }
            }
        )
    }

    func run(_ command: String) -> String { console.execute(command) }

    func setTime(_ milliseconds: Milliseconds) { clock.withLock { $0 = milliseconds } }
}
