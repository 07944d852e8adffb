/// users.py `enable-2fa-enforce` / `disable-2fa-enforce`: `PUT /api/users/tfa/totp/enforce`.
extension UserAdministration {
    public static let maximumSetupURLBytes = 512

    /// Requires (or stops requiring) TOTP of these users. A required user without an enrolled secret
    /// is refused at login with a message that names `url` (the web console address users.py passes;
    /// "" = none) until they enrol (`AccountService.beginTOTPEnrolment`). Sessions they already have
    /// stay; `force-logout` ends them. Returns how many of the users exist.
    public func setTOTPRequired(_ required: Bool, userGUIDs: [String], url: String, by caller: AdminCaller)
        async throws(Failure) -> Int
    {
        guard url.utf8.count <= Self.maximumSetupURLBytes,
            !url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { throw .invalidURL }
        let now = clock.now()
        let changed = try await storeCall(onNotFound: Failure.unknownUser) { () async throws(APIStoreError) in
            try await store.setTOTPRequired(required, setupURL: url, userGUIDs: userGUIDs, now: now)
        }
        logger.notice(
            required ? "TOTP required" : "TOTP no longer required",
            metadata: ["users": "\(changed)", "by": "\(caller)"])
        await audit.record(
            .updateUser, by: caller,
            [
                "change": required ? "enable-2fa-enforce" : "disable-2fa-enforce",
                "users": userGUIDs.joined(separator: ","),
            ])
        return changed
    }
}
