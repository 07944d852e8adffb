import APICore
import Foundation
import TestSupport

/// Helpers for the device and group-tab tests: accounts created straight in the store (there is no
/// sign-up route), the device service, and the client's device-scoped posts.
extension APITestServer {
    var deviceService: DeviceService { api.services.deviceService }

    /// Creates a user with `password` (the test hasher), optionally in a user group.
    @discardableResult
    func addUser(_ name: String, password: String = "user-secret-1", group: String? = nil, admin: Bool = false)
        async throws -> User
    {
        let hash = try PasswordHasher.fastForTests.hash(password)
        return try await api.services.accounts.store.insertUser(
            NewUser(name: name, passwordHash: hash, isAdmin: admin, groupName: group), now: wallClock.seconds)
    }
}

extension RustDeskAPIClient {
    /// `POST /api/heartbeat` as the Rust client builds it (no Authorization, `Content-Type` from its
    /// HTTP helper); `conns` only when there are some.
    func heartbeat(_ device: RegisteredTestDevice, modifiedAt: Int64 = 0, conns: [Int] = []) async throws -> Answer {
        let connsPart = conns.isEmpty ? "" : #","conns":[\#(conns.map(String.init).joined(separator: ","))]"#
        return try await call(
            "POST", "/api/heartbeat",
            json:
                #"{"id":"\#(device.id)","uuid":"\#(device.uuidBase64)","ver":1004090\#(connsPart),"modified_at":\#(modifiedAt)}"#
        )
    }

    /// `POST /api/sysinfo` with what `get_sysinfo` reports on Linux, plus `extra` keys (presets).
    func sysinfo(
        _ device: RegisteredTestDevice, hostname: String = "build-box", username: String = "alice",
        extra: [String: String] = [:]
    ) async throws -> Answer {
        var object: [String: String] = [
            "cpu": "AMD Ryzen 7, 3.8GHz, 16/8 cores", "memory": "31.2GB", "os": "linux / Debian GNU/Linux 12",
            "hostname": hostname, "username": username, "version": "1.4.9", "id": device.id,
            "uuid": device.uuidBase64,
        ]
        object.merge(extra) { _, new in new }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return try await call("POST", "/api/sysinfo", json: String(decoding: data, as: UTF8.self))
    }
}

extension APITestServer {
    /// A counter or gauge of hbbs's registry; -1 when the series does not exist.
    func metric(_ name: String, _ labels: [String: String] = [:]) -> Int {
        hbbs.services.metrics.registry.value(name, labels).map { Int($0) } ?? -1
    }
}
