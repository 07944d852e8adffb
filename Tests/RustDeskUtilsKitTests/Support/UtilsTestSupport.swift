import RustDeskUtilsKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Collects what a command prints, line by line.
final class UtilsLineRecorder: Sendable {
    private let storage = Mutex<[String]>([])

    var output: UtilsOutput { UtilsOutput { line in self.storage.withLock { $0.append(line) } } }
    var lines: [String] { storage.withLock { $0 } }
}

enum UtilsTestSupport {
    static let help = [
        "Usage:",
        "    rustdesk-utils [command]",
        "",
        "Available Commands:",
        "    genkeypair                                   Generate a new keypair",
        "    validatekeypair [public key] [secret key]    Validate an existing keypair",
        "    doctor [rustdesk-server]                     Check for server connection problems",
        "    user [add|passwd|list|totp] ...              Manage API users (rustdesk-utils user for details)",
        "    api-token [create|list|revoke] ...           Manage API tokens (rustdesk-utils api-token for details)",
    ]

    static let testPublicKey = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
    static let testSecretKey =
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8DoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA=="

    /// Runs the tool in-process and returns its exit status and lines.
    static func run(_ arguments: [String], doctor: DoctorEnvironment = .system) async -> (
        status: Int32, lines: [String]
    ) {
        let recorder = UtilsLineRecorder()
        let status = await RustDeskUtils(output: recorder.output, doctorEnvironment: doctor).run(arguments)
        return (status, recorder.lines)
    }
}

/// A TCP socket on 127.0.0.1 with an ephemeral port; listening or merely bound (so connects are refused
/// and nobody else can take the port while the test runs). Closed on deinit.
final class LoopbackSocket {
    let fd: Int32
    let port: UInt16

    init?(listening: Bool, backlog: Int32 = 8) {
        #if canImport(Darwin)
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound, !listening || listen(fd, backlog) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        for client in fillers { close(client) }
        close(fd)
    }

    /// Connects `count` non-blocking clients that are never accepted, kept open until the socket goes.
    /// On a listener with backlog 0 the first fills the accept queue, and Linux drops the SYNs of every
    /// later connect, which then hangs: a black hole on loopback.
    func fillAcceptQueue(count: Int) {
        for _ in 0..<count {
            #if canImport(Darwin)
                let client = socket(AF_INET, SOCK_STREAM, 0)
            #else
                let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #endif
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            address.sin_port = port.bigEndian
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            fillers.append(client)
        }
    }

    private var fillers: [Int32] = []
}
