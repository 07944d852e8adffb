import Logging
import NIOCore
import NIOPosix
import RendezvousCore
import RustDeskCore

/// Turns a server list (RELAY-SERVERS, RENDEZVOUS-SERVERS, console `rs`, ConfigUpdate) into the entries that
/// resolve via DNS right now (spec/hbbs.md §2.2, §5.4), and gives `RelayHealthChecker` the addresses of one entry.
/// Owns only the lookup function, which tests replace. DNS blocks: start-up and the console call the synchronous
/// forms off the event loops; async callers use the forms that run the lookup on an `NIOThreadPool`.
public struct ServerListResolver: Sendable {
    /// Resolves a host and port to socket addresses; an empty result or a thrown error means "does not resolve".
    public typealias Lookup = @Sendable (_ host: String, _ port: UInt16) throws -> [SocketAddress]

    /// getaddrinfo (blocking).
    public static let systemLookup: Lookup = { host, port in try SystemAddressLookup.lookup(host: host, port: port) }

    private let lookup: Lookup
    private let logger: Logger

    public init(logger: Logger, lookup: @escaping Lookup = ServerListResolver.systemLookup) {
        self.logger = logger
        self.lookup = lookup
    }

    /// Splits `list` on `,` and keeps the items that resolve, as their original strings, in order. Blocks.
    /// `option` names the list in logs (e.g. "relay-servers").
    public func resolve(_ list: String, option: String) -> [String] {
        resolve(entries: ServerList.split(list), option: option)
    }

    /// Keeps the non-empty entries that resolve, unchanged and in order (ConfigUpdate hands a list, not a string).
    public func resolve(entries: [String], option: String) -> [String] {
        let kept = entries.filter { entry in
            guard !entry.isEmpty else { return false }
            do {
                _ = try addresses(of: entry, defaultPort: 0)
                return true
            } catch {
                logger.error(
                    "Invalid server list entry dropped",
                    metadata: ["option": "\(option)", "entry": "\(entry)", "error": "\(error)"]
                )
                return false
            }
        }
        logger.info("Server list resolved", metadata: ["option": "\(option)", "servers": "\(kept)"])
        return kept
    }

    /// `resolve(_:option:)` run on `threadPool`. Throws `CancellationError` if the task is cancelled first.
    public func resolve(_ list: String, option: String, on threadPool: NIOThreadPool) async throws -> [String] {
        try await onPool(threadPool) { resolve(list, option: option) }
    }

    /// `resolve(entries:option:)` run on `threadPool`. Throws `CancellationError` if the task is cancelled first.
    public func resolve(entries: [String], option: String, on threadPool: NIOThreadPool) async throws -> [String] {
        try await onPool(threadPool) { resolve(entries: entries, option: option) }
    }

    /// Every address `entry` resolves to; `defaultPort` stands in when the entry names no port. Blocks.
    public func addresses(of entry: String, defaultPort: UInt16) throws -> [SocketAddress] {
        guard let endpoint = ServerEndpoint(entry) else { throw ServerListResolverError.invalidEntry(entry) }
        let found = try lookup(endpoint.host, endpoint.port ?? defaultPort)
        guard !found.isEmpty else {
            throw ServerListResolverError.lookupFailed(host: endpoint.host, reason: "no address")
        }
        return found
    }

    /// `addresses(of:defaultPort:)` run on `threadPool`; returns at once with `CancellationError` on cancellation.
    public func addresses(
        of entry: String,
        defaultPort: UInt16,
        on threadPool: NIOThreadPool
    ) async throws -> [SocketAddress] {
        try await onPool(threadPool) { try addresses(of: entry, defaultPort: defaultPort) }
    }

    private func onPool<Value: Sendable>(
        _ threadPool: NIOThreadPool,
        _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        let result = await OneShotContinuation<Result<Value, any Error>>.value { oneShot in
            threadPool.submit { state in
                guard case .active = state else {
                    oneShot.resume(.failure(CancellationError()))
                    return
                }
                oneShot.resume(Result(catching: work))
            }
        }
        guard let result else { throw CancellationError() }
        return try result.get()
    }
}
