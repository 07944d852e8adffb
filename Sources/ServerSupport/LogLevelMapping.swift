import Logging
import RustDeskCore

extension Logger.Level {
    /// swift-log's level for a `RUST_LOG` level; `off` keeps only critical messages.
    public init(_ level: LogLevel) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .warning: self = .warning
        case .error: self = .error
        case .off: self = .critical
        }
    }
}
