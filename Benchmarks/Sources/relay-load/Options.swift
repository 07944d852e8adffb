/// The command line of `relay-load` (see `RelayLoad.usage`).
struct Options: Sendable {
    enum Transport: String, Sendable {
        case tcp
        case ws
    }

    /// The relay's TCP port; the WebSocket relay listens on `port + 2`.
    var port = 21117
    var transport = Transport.tcp
    /// Length of the measured window.
    var duration = 5.0
    /// The server process whose CPU time is read from /proc; nil = no CPU figures.
    var pid: Int32?
    /// Bytes per unit side A sends: one write on TCP, one binary message's payload on WebSocket.
    /// 64 KiB is rdload's TCP write size, so both transports carry the same payload per unit.
    var messageBytes = 64 * 1024
    /// Bound on every set-up step (connect, upgrade, pairing proof).
    var setupTimeout = 10.0

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ arguments: some Sequence<String>) throws(Invalid) -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw Invalid(description: "\(flag) needs a value") }
            switch flag {
            case "--port":
                guard let port = Int(value), (1...65_533).contains(port) else { throw bad(flag, value) }
                options.port = port
            case "--transport":
                guard let transport = Transport(rawValue: value) else { throw bad(flag, value) }
                options.transport = transport
            case "--duration":
                guard let duration = Double(value), duration > 0, duration <= 600 else { throw bad(flag, value) }
                options.duration = duration
            case "--pid":
                guard let pid = Int32(value), pid > 0 else { throw bad(flag, value) }
                options.pid = pid
            case "--msg-bytes":
                // At most 16 MiB: hbbr's largest accepted WebSocket frame (RelaySettings).
                guard let bytes = Int(value), (1...(16 << 20)).contains(bytes) else { throw bad(flag, value) }
                options.messageBytes = bytes
            case "--setup-timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 120 else { throw bad(flag, value) }
                options.setupTimeout = seconds
            default:
                throw Invalid(description: "unknown option \(flag)")
            }
        }
        return options
    }

    private static func bad(_ flag: String, _ value: String) -> Invalid {
        Invalid(description: "invalid value for \(flag): \(value)")
    }
}
