import RustDeskCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes the `guid` primary key of a new row: a UUID version 7 (RFC 9562), i.e. 48 bits of Unix
/// milliseconds followed by 74 random bits. Called by hbbs's registration rules when a new row is needed.
///
/// Why not v4 like the reference (`Uuid::new_v4()`): the `peer` table is `WITHOUT ROWID`, so its
/// B-tree is ordered by guid. Random guids put every new row on a random page, and a commit of N new
/// peers rewrote about N pages (4 KiB each) into the WAL and later the database; time-ordered guids
/// append to the last pages. The guid stays an opaque unique 16-byte key, which is all anyone reads
/// it as, so existing v4 rows and new v7 rows live side by side.
public enum PeerGUID {
    public static func make() -> [UInt8] {
        var bytes = randomBytes(16)
        let milliseconds = unixMilliseconds()
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index)))
        }
        bytes[6] = bytes[6] & 0x0F | 0x70  // version 7
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 9562 variant
        return bytes
    }

    /// One call into libsodium's generator: drawing byte by byte from `SystemRandomNumberGenerator`
    /// made 16 system calls per new peer, 14 % of hbbs's event loop while registering peers.
    private static func randomBytes(_ count: Int) -> [UInt8] {
        if let bytes = try? Sodium.randomBytes(count) { return bytes }
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private static func unixMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(max(0, now.tv_sec)) &* 1000 &+ UInt64(max(0, now.tv_nsec) / 1_000_000)
    }
}
