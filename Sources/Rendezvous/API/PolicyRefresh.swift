import APICore
import ServiceLifecycle

/// Reloads the connection policy's users, sessions and rules every `interval`: changes the API makes
/// reload it at once, but `rustdesk-utils` changes the same database from another process, and
/// sessions' sliding expiry moves in the store. A service of hbbs's group.
struct PolicyRefresh: Service {
    let policy: ConnectionPolicy
    let interval: Duration

    func run() async {
        await cancelWhenGracefulShutdown {
            // A sleep ended by the shutdown is not a turn to reload: the store would refuse the cancelled
            // task and the stop would log an error.
            while (try? await Task.sleep(for: interval)) != nil, !Task.isCancelled {
                await policy.reload()
            }
        }
    }
}
