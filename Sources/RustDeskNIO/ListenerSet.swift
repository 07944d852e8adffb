import NIOCore
import Synchronization

/// The listening channels of one server, bound together and closed together.
public final class ListenerSet: Sendable {
    /// Guards the listeners, in bind order.
    private let channels = Mutex<[any Channel]>([])

    public init() {}

    public func add(_ listeners: [any Channel]) {
        channels.withLock { $0.append(contentsOf: listeners) }
    }

    public var all: [any Channel] { channels.withLock { $0 } }

    /// Closes every listener (each once, even if called again) and waits until they are closed.
    public func closeAll() async {
        let open = channels.withLock { channels in
            defer { channels = [] }
            return channels
        }
        for channel in open { try? await channel.close() }
    }
}
