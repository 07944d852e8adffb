import NIOCore

/// What one client of the observability listener may cost: it serves a scraper and probes, never
/// uploads, so bodies and headers are kept small and a silent connection is closed.
public struct ObservabilityLimits: Sendable, Equatable {
    /// Larger request bodies (declared or sent) are answered 413 and the connection closed.
    public var maxRequestBodyBytes: Int
    /// All header names and values of one request together; beyond it the request is answered 400.
    public var maxHeaderBytes: Int
    /// A connection that sends nothing for this long is closed. Above Prometheus's common scrape
    /// intervals, so a scraper's kept-alive connection usually survives from one scrape to the next.
    public var idleTimeout: TimeAmount

    public init(
        maxRequestBodyBytes: Int = 1024, maxHeaderBytes: Int = 8 * 1024, idleTimeout: TimeAmount = .seconds(90)
    ) {
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.idleTimeout = idleTimeout
    }
}
