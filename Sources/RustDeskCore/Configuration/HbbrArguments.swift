/// The hbbr command-line values as given (nil = flag absent), still unvalidated text. Unlike hbbs, the
/// reference never writes hbbr's flags into the environment: a flag simply wins over the variable.
public struct HbbrArguments: Sendable, Equatable {
    public var port: String?
    public var bind: String?
    public var key: String?
    public var metricsAddress: String?

    public init(port: String? = nil, bind: String? = nil, key: String? = nil, metricsAddress: String? = nil) {
        self.port = port
        self.bind = bind
        self.key = key
        self.metricsAddress = metricsAddress
    }
}
