import APICore

/// What `rustdesk-utils user` and `api-token` print after `ERROR: ` when they cannot do what was asked (exit 1).
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
    case missingTokenName
    case invalidTokenName
    case invalidPermissions(String)
    case invalidExpiry
    case duplicateToken(name: String)
    case unknownToken(String)

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
        case .missingTokenName: "You must supply the token's name (--name NAME)"
        case .invalidTokenName: "A token name must be 1 to 64 printable characters, without spaces, commas or quotes"
        case .invalidPermissions(let reason): "Permissions: \(reason)"
        case .invalidExpiry: "--expires takes a number of days from 1 to \(APITokenService.maxExpiryDays)"
        case .duplicateToken(let name): "A token named '\(name)' already exists"
        case .unknownToken(let name): "No token named '\(name)'"
        }
    }

    /// Usage mistakes are followed by the `user` help; the others stand alone.
    var showsHelp: Bool {
        switch self {
        case .unknownOption, .missingValue, .missingName, .missingPassword, .missingTokenName: true
        default: false
        }
    }
}
