/// The log level chosen by `RUST_LOG`, independent of any logging library (the executables map it).
/// Ordered from most to least verbose.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case trace, debug, info, warning, error, off

    /// Used when RUST_LOG is absent or malformed, as in the reference.
    public static let `default` = LogLevel.info

    /// Parses one level name in any case; `warning` is accepted beside `warn`.
    public init?(name: String) {
        switch name.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "warn", "warning": self = .warning
        case "error": self = .error
        case "off": self = .off
        default: return nil
        }
    }

    /// The level for `module` under an env_logger-style spec such as `hbbs=debug,warn`.
    ///
    /// A `module=level` directive whose module is a prefix of `module` wins (the longest one); otherwise
    /// the first bare level directive; otherwise `info`. A malformed spec (unknown level, spaces inside a
    /// directive, more than one `/`) gives `info`, as the reference falls back to its default spec.
    /// Deviation: the reference switches modules off that no directive names when the spec has no bare
    /// level; we keep `info` so a stray `RUST_LOG=sqlx=warn` does not silence the server.
    public init(rustLog: String?, module: String) {
        self = Self.parse(rustLog, module: module) ?? .default
    }

    private static func parse(_ spec: String?, module: String) -> LogLevel? {
        guard let spec else { return nil }
        let filterParts = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard filterParts.count <= 2, let directives = filterParts.first else { return nil }
        var global: LogLevel?
        var best: (length: Int, level: LogLevel)?
        for item in directives.split(separator: ",") {
            let directive = item.trimmingWhitespace
            if directive.isEmpty { continue }
            let parts = directive.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count <= 2, let name = parts.first.map({ $0.trimmingWhitespace }),
                !name.contains(where: \.isWhitespace)
            else { return nil }
            var level = LogLevel.trace  // a bare module name, or `name=`, means "everything"
            if parts.count == 2, let value = parts.last.map({ $0.trimmingWhitespace }), !value.isEmpty {
                guard let parsed = LogLevel(name: value) else { return nil }
                level = parsed
            } else if parts.count == 1, let parsed = LogLevel(name: name) {
                if global == nil { global = parsed }
                continue
            }
            if module.hasPrefix(name), name.count > best?.length ?? -1 { best = (name.count, level) }
        }
        return best?.level ?? global
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.order < rhs.order }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
