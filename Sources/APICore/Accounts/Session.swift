/// A logged-in client: the SHA-256 digest of its bearer token (the token itself is never stored),
/// whose it is, and until when it holds. Each use moves `expiresAt` forward (a sliding lifetime).
public struct Session: Sendable, Equatable {
    public var tokenDigest: [UInt8]
    public var userID: User.ID
    /// Unix seconds.
    public var createdAt: Int64
    public var lastUsedAt: Int64
    public var expiresAt: Int64
    /// The RustDesk ID and uuid the client logged in from, when it said (login's `id`, `uuid`).
    public var deviceID: String
    public var deviceUUID: String
    /// login's `deviceInfo` (`os`, `type`, `name`), for the console's session list.
    public var deviceInfo: LoginDeviceInfo
    public var ip: String

    public init(
        tokenDigest: [UInt8], userID: User.ID, createdAt: Int64, lastUsedAt: Int64, expiresAt: Int64,
        deviceID: String = "", deviceUUID: String = "", deviceInfo: LoginDeviceInfo = LoginDeviceInfo(), ip: String = ""
    ) {
        self.tokenDigest = tokenDigest
        self.userID = userID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.deviceID = deviceID
        self.deviceUUID = deviceUUID
        self.deviceInfo = deviceInfo
        self.ip = ip
    }
}

/// login's `deviceInfo` object (http-api.md §1.2).
public struct LoginDeviceInfo: Sendable, Equatable, Codable {
    public var os: String
    public var type: String
    public var name: String

    public init(os: String = "", type: String = "", name: String = "") {
        self.os = os
        self.type = type
        self.name = name
    }

    enum CodingKeys: String, CodingKey { case os, type, name }

    /// Lenient: any missing or mistyped key is empty rather than a failed login.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        os = (try? container.decodeIfPresent(String.self, forKey: .os)) ?? ""
        type = (try? container.decodeIfPresent(String.self, forKey: .type)) ?? ""
        name = (try? container.decodeIfPresent(String.self, forKey: .name)) ?? ""
    }
}
