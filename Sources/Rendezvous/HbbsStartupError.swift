import APICore
import PeerStore

/// Why hbbs could not start; the executable prints the description and exits with status 1.
public enum HbbsStartupError: Error, CustomStringConvertible {
    case database(PeerStoreError)
    case listen(port: Int, any Error)
    case selfTestTarget(SelfTestError)
    case metricsListen(any Error)
    case apiListen(port: Int, any Error)
    case apiBootstrap(APIStoreError)

    public var description: String {
        switch self {
        case .database(let error): "Fatal error: cannot open database: \(error)"
        case .listen(let port, let error): "Fatal error: cannot listen on port \(port): \(error)"
        case .selfTestTarget(let error): "error: invalid TEST_HBBS: \(error)"
        case .metricsListen(let error): "Fatal error: cannot listen on METRICS_ADDR: \(error)"
        case .apiListen(let port, let error): "Fatal error: cannot listen on API_PORT \(port): \(error)"
        case .apiBootstrap(let error): "Fatal error: cannot create the administrator account: \(error)"
        }
    }
}
