import RustDeskCore

/// One TCP port the doctor probes, with the label it prints.
public struct DoctorPort: Sendable, Equatable {
    public let port: UInt16
    public let label: String

    public init(port: UInt16, label: String) {
        self.port = port
        self.label = label
    }

    /// The reference's fixed list (utils.md §1.3); custom PORT settings are deliberately not considered.
    public static let standard: [DoctorPort] = [
        DoctorPort(port: 21114, label: "API"),
        DoctorPort(port: 21115, label: "hbbs extra port for nat test"),
        DoctorPort(port: 21116, label: "hbbs"),
        DoctorPort(port: 21117, label: "hbbr tcp"),
        DoctorPort(port: 21118, label: "hbbs websocket"),
        DoctorPort(port: 21119, label: "hbbr websocket"),
    ]
}

/// A failed DNS lookup, with the resolver's own explanation.
public struct DoctorLookupError: Error, Sendable, Equatable {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

/// Everything the doctor needs from the network: which ports, how long a connect may take, and how names
/// are looked up. `.system` uses the OS; tests replace the parts they need to control.
public struct DoctorEnvironment: Sendable {
    public var ports: [DoctorPort]
    /// The reference blocks for the OS default (minutes on a black-holed address); we give up sooner.
    public var connectTimeout: Duration
    public var resolve: @Sendable (String) -> Result<[IPAddress], DoctorLookupError>
    public var reverseLookup: @Sendable (IPAddress) -> Result<String, DoctorLookupError>

    public init(
        ports: [DoctorPort] = DoctorPort.standard,
        connectTimeout: Duration = .seconds(5),
        resolve: @escaping @Sendable (String) -> Result<[IPAddress], DoctorLookupError> = DoctorNetwork.resolve,
        reverseLookup: @escaping @Sendable (IPAddress) -> Result<String, DoctorLookupError> =
            DoctorNetwork.reverseLookup
    ) {
        self.ports = ports
        self.connectTimeout = connectTimeout
        self.resolve = resolve
        self.reverseLookup = reverseLookup
    }

    public static var system: DoctorEnvironment { DoctorEnvironment() }
}
