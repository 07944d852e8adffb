import Logging

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
}
