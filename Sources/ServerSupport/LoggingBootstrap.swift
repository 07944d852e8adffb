import Logging
import RustDeskCore

/// Sets up swift-log once per process: human-readable lines on standard error at the level
/// `RUST_LOG` asks for, as the Rust servers read it (before `.env` is loaded).
public enum LoggingBootstrap {
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Bootstraps logging at `level` and returns the server's logger, after logging the
    /// configuration `warnings` (files that were skipped).
    public static func start(label: String, level: LogLevel, warnings: [String]) -> Logger {
        bootstrap(level: Logger.Level(level))
        let logger = Logger(label: label)
        for warning in warnings { logger.warning("\(warning)") }
        return logger
    }
}
