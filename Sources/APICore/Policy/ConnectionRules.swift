/// Whether hbbs may connect an initiator to a device (issue 13 item 5), as a pure function of what
/// the policy holds in memory. In order:
/// 1. a disabled device, or a device whose owner is disabled, is refused to everyone (Pro's rule);
/// 2. with MUST_LOGIN, an initiator without a live session is refused;
/// 3. once any access rule exists, a logged-in initiator reaches a managed device (one with an owner
///    or a device group) only when it owns it, shares its owner's user group, is an administrator, or
///    a rule allows it: its group's outgoing rule names the owner's user group or the device group,
///    or the owner's user group's or the device group's incoming rule names its group or itself.
///    Rules are cumulative, as in Pro. Devices nobody manages stay reachable.
/// Without rules, and for initiators that are not logged in, access stays as in rustdesk-server:
/// MUST_LOGIN is what closes the door to them (Pro refuses them on owned devices too; the issue asks
/// for rules to bind logged-in users only, so that turning rules on breaks no anonymous setup).
public enum ConnectionRules {
    public enum Refusal: String, Sendable, CaseIterable {
        case deviceDisabled = "device_disabled"
        case mustLogin = "must_login"
        case accessRule = "access_rule"

        /// The text the client shows (PunchHoleResponse `other_failure`, RelayResponse `refuse_reason`).
        public var message: String {
            switch self {
            case .deviceDisabled: "This device has been disabled by the administrator"
            case .mustLogin: "Please log in to connect to this device"
            case .accessRule: "Your account is not allowed to access this device"
            }
        }
    }

    public static func decide(
        device: DeviceDirectoryEntry?, initiator: User.ID?, facts: AccessFacts, mustLogin: Bool
    ) -> Refusal? {
        if let device {
            if device.disabled { return .deviceDisabled }
            if let owner = device.ownerID, facts.users[owner]?.disabled == true { return .deviceDisabled }
        }
        guard let initiator else { return mustLogin ? .mustLogin : nil }
        guard !facts.rules.isEmpty, let device, device.ownerID != nil || device.groupID != nil else { return nil }
        return allows(initiator, device, facts) ? nil : .accessRule
    }

    private static func allows(_ user: User.ID, _ device: DeviceDirectoryEntry, _ facts: AccessFacts) -> Bool {
        guard let initiator = facts.users[user] else { return false }
        if initiator.isAdmin || device.ownerID == user { return true }
        let userGroup = initiator.groupID
        let ownerGroup = device.ownerID.flatMap { facts.users[$0]?.groupID }
        if let userGroup, userGroup == ownerGroup { return true }
        func rule(
            _ subject: AccessFacts.Rule.Subject, _ direction: AccessFacts.Rule.Direction,
            _ kind: AccessRule.Kind, _ target: Int64?
        ) -> Bool {
            guard let target else { return false }
            return facts.rules.contains(.init(subject: subject, direction: direction, kind: kind, targetID: target))
        }
        if let userGroup {
            if rule(.userGroup(userGroup), .outgoing, .userGroup, ownerGroup) { return true }
            if rule(.userGroup(userGroup), .outgoing, .deviceGroup, device.groupID) { return true }
        }
        if let ownerGroup {
            if rule(.userGroup(ownerGroup), .incoming, .userGroup, userGroup) { return true }
            if rule(.userGroup(ownerGroup), .incoming, .user, user) { return true }
        }
        if let deviceGroup = device.groupID {
            if rule(.deviceGroup(deviceGroup), .incoming, .userGroup, userGroup) { return true }
            if rule(.deviceGroup(deviceGroup), .incoming, .user, user) { return true }
        }
        return false
    }
}
