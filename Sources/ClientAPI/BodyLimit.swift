/// Per-route request body limits in bytes, refused by `BodyLimitMiddleware` before the body is read.
public enum BodyLimit {
    /// Login, logout, heartbeat, sysinfo, address-book actions: small JSON objects.
    public static let json = 64 * 1024
    /// The legacy address book's full replacement (`POST /api/ab`) carries every peer in one string.
    public static let legacyBook = 4 * 1024 * 1024
    /// One chunk of a session recording.
    public static let recordingChunk = 8 * 1024 * 1024
}
