#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Milliseconds on a monotonic clock with an arbitrary origin. Decision logic takes `now` in this
/// unit as a plain argument, so tests drive time by hand instead of sleeping.
public typealias Milliseconds = Int64

public enum MonotonicClock {
    public static func now() -> Milliseconds {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) &* 1000 &+ Int64(time.tv_nsec) / 1_000_000
    }
}

extension Milliseconds {
    /// Whole seconds elapsed from `earlier` to `self`, as Rust's `elapsed().as_secs()` counts them.
    @inline(__always)
    public func wholeSeconds(since earlier: Milliseconds) -> Int64 { (self &- earlier) / 1000 }
}
