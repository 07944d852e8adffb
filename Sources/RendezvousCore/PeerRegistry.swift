import RustDeskCore
import Synchronization

/// The in-memory table of peers, keyed by ID (spec/hbbs.md §4.1), touched by every UDP heartbeat.
///
/// Sharded: each shard is a dictionary behind its own `Mutex`, so concurrent event loops rarely
/// contend and no datagram pays an actor hop. Callers run their decision inside `withPeer`, which
/// holds only that ID's shard lock for the duration of a pure function.
public final class PeerRegistry: Sendable {
    private final class Shard: Sendable {
        /// Guards the peers whose ID hashes to this shard.
        let peers = Mutex<[String: RegisteredPeer]>([:])
    }

    private let shards: [Shard]

    public init(shardCount: Int = 64) {
        shards = (0..<max(1, shardCount)).map { _ in Shard() }
    }

    /// FNV-1a over the ID's bytes: the dictionary hashes the ID again with its seeded SipHash (which
    /// guards against collision attacks), so the shard pick only needs to spread IDs, cheaply.
    @inline(__always)
    private func shard(for id: String) -> Shard {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        // Fold the well-mixed high half in: the low bits of an FNV product see only the low bits of
        // each byte.
        return shards[Int((hash ^ hash >> 32) % UInt64(shards.count))]
    }

    /// Runs `body` with exclusive access to the record of `id` (nil when unknown); setting it to
    /// nil removes the record. Keep `body` short and free of I/O: it holds a shard lock.
    public func withPeer<Result>(_ id: String, _ body: (inout RegisteredPeer?) -> Result) -> Result {
        shard(for: id).peers.withLock { peers in body(&peers[id]) }
    }

    public func peer(_ id: String) -> RegisteredPeer? {
        shard(for: id).peers.withLock { $0[id] }
    }

    public var count: Int {
        shards.reduce(0) { total, shard in total + shard.peers.withLock { $0.count } }
    }

    /// Peers whose last registration is inside the online window. Scans one shard at a time, each
    /// under its lock for a few microseconds per thousand peers; meant for a metrics scrape, not a
    /// request path.
    public func onlineCount(now: Milliseconds) -> Int {
        shards.reduce(0) { total, shard in
            total + shard.peers.withLock { peers in peers.values.reduce(0) { $0 + ($1.isOnline(now: now) ? 1 : 0) } }
        }
    }

    /// Adds many records at once (start-up load), taking each shard lock once per batch.
    public func insert(_ records: [(id: String, peer: RegisteredPeer)]) {
        var byShard: [ObjectIdentifier: (Shard, [(String, RegisteredPeer)])] = [:]
        for (id, peer) in records {
            let target = shard(for: id)
            byShard[ObjectIdentifier(target), default: (target, [])].1.append((id, peer))
        }
        for (target, batch) in byShard.values {
            target.peers.withLock { peers in
                for (id, peer) in batch { peers[id] = peer }
            }
        }
    }
}
