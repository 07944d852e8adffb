import Foundation

/// Ends the process at start-up with a message on standard error and exit status 1, as the Rust
/// servers do for a bad configuration or key file.
public enum StartupFailure {
    public static func exit(_ message: String) -> Never {
        let line = message.hasSuffix("\n") ? message : message + "\n"
        FileHandle.standardError.write(Data(line.utf8))
        Foundation.exit(1)
    }

    /// The value of `body`, or exit with `prefix` and the error.
    public static func onError<Value>(_ prefix: String = "", _ body: () throws -> Value) -> Value {
        do {
            return try body()
        } catch {
            exit(prefix + "\(error)")
        }
    }

    public static func onError<Value>(_ prefix: String = "", _ body: () async throws -> Value) async -> Value {
        do {
            return try await body()
        } catch {
            exit(prefix + "\(error)")
        }
    }
}
