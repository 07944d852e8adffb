/// Why the container cannot start its servers; each is printed as one line before the container exits.
public enum ContainerError: Error, Equatable, CustomStringConvertible {
    case unknownCommand(String)
    case keyPairIncomplete(missing: String)
    case malformedKey(source: String)
    case keysDisagree(String)
    case keyFiles(String)
    case dataDirectory(path: String, reason: String)
    case privileges(String)
    case launch(program: String, reason: String)

    public var description: String {
        switch self {
        case .unknownCommand(let command):
            "unknown command \"\(command)\": run hbbs, hbbr or rustdesk-utils (with their arguments), "
                + "or nothing for both servers"
        case .keyPairIncomplete(let missing):
            "the \(missing) is missing: provide both keys (files, KEY_PUB/KEY_PRIV or secrets key_pub/key_priv)"
        case .malformedKey(let source): "\(source) is not a valid key"
        case .keysDisagree(let detail): "the key pair does not match: \(detail)"
        case .keyFiles(let detail): detail
        case .dataDirectory(let path, let reason): "data directory \(path): \(reason)"
        case .privileges(let detail): "cannot switch to the service user: \(detail)"
        case .launch(let program, let reason): "cannot start \(program): \(reason)"
        }
    }
}
