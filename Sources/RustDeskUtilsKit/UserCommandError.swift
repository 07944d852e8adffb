/// What `rustdesk-utils user` prints after `ERROR: ` when it cannot do what was asked (exit 1).
enum UserCommandError: Error, Equatable {
    case unknownOption(String)
    case missingValue(String)
    case missingName
    case missingPassword
    case invalidName
    case invalidEmail
    case passwordTooLong(maximumBytes: Int)
    case noDatabase(path: String)
    case duplicate(name: String)
    case unknownUser(String)
    case database(String)

    var message: String {
        switch self {
        case .unknownOption(let option): "Unknown option \(option)"
        case .missingValue(let option): "\(option) needs a value"
        case .missingName: "You must supply the user name"
        case .missingPassword: "You must supply the password with --password (or --password - to read it from stdin)"
        case .invalidName: "A user name must be 1 to 128 characters, without control characters"
        case .invalidEmail: "An email address must contain @ and be at most 254 characters"
        case .passwordTooLong(let maximum): "The password is longer than \(maximum) bytes"
        case .noDatabase(let path): "No database at \(path) (run hbbs once there, or pass --db PATH)"
        case .duplicate(let name): "A user named '\(name)' (or with that email) already exists"
        case .unknownUser(let name): "No user named '\(name)'"
        case .database(let reason): "Database: \(reason)"
        }
    }

    /// Usage mistakes are followed by the `user` help; the others stand alone.
    var showsHelp: Bool {
        switch self {
        case .unknownOption, .missingValue, .missingName, .missingPassword: true
        default: false
        }
    }
}
