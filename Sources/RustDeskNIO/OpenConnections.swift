import NIOCore
import Synchronization

/// The accepted connections of one listener that are still open, so a server's `close()` can end
/// them: each is added at accept and drops out when it closes.
public final class OpenConnections: Sendable {
    /// Guards the open connections by identity.
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    public init() {}

    public func track(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: key) }
        }
    }

    public var count: Int { channels.withLock { $0.count } }

    /// Asks every open connection to finish what it is doing and close (an HTTP server answers the
    /// request in progress first); each leaves the set as it closes.
    public func quiesceAll() {
        for channel in channels.withLock({ Array($0.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Starts closing every open connection; each leaves the set as it closes.
    public func closeAll() {
        for channel in channels.withLock({ Array($0.values) }) { channel.close(promise: nil) }
    }
}
