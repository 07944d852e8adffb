import RustDeskCore
import Synchronization

/// A `TokenBucket` shared by many relays on many threads: the total limiter of hbbr (hbbr.md §6.3).
///
/// Owned by `RelayControls`; every relayed chunk calls `consume`, the console's `tb` calls `setRate`.
public final class SharedTokenBucket: Sendable {
    /// Guards the bucket; held only for the arithmetic of one call.
    private let bucket: Mutex<TokenBucket>

    public init(rate: Int, now: Milliseconds) {
        bucket = Mutex(TokenBucket(rate: rate, now: now))
    }

    public var rate: Int { bucket.withLock { $0.rate } }

    public func consume(_ bits: Int, now: Milliseconds) -> Milliseconds {
        bucket.withLock { $0.consume(bits, now: now) }
    }

    public func setRate(_ rate: Int, now: Milliseconds) {
        bucket.withLock { $0.setRate(rate, now: now) }
    }
}
