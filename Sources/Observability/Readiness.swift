/// Whether a server is ready for clients, as `/readyz` reports it: ready, or not ready with the
/// human-readable reasons (one line each in the 503 body). The server's readiness closure builds it
/// at every request, so it must be cheap and never block.
public enum Readiness: Sendable, Equatable {
    case ready
    case notReady(reasons: [String])

    public var isReady: Bool {
        if case .ready = self { true } else { false }
    }

    /// Ready only when every part is; otherwise not ready with all the parts' reasons in order
    /// (hbbs: the UDP self-probe and the store each give one part).
    public static func all(_ parts: [Readiness]) -> Readiness {
        var reasons: [String] = []
        var ready = true
        for case .notReady(let partReasons) in parts {
            ready = false
            reasons += partReasons
        }
        return ready ? .ready : .notReady(reasons: reasons)
    }
}
