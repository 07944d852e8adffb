import Logging
import Synchronization

/// hbbs's connection policy (issue 13 item 5), held in memory so a rendezvous decision never waits on
/// the disk: the devices' state comes from the heartbeat's `DeviceDirectory` (updated by every write
/// that changes it), users, sessions and access rules from `AccessFacts`, reloaded whole at start,
/// after every administrative change and login or logout (awaited before the change is answered, so
/// the next request sees it), and every `refreshInterval` for changes made by `rustdesk-utils` on the
/// same database. Reloads may finish out of order; the one started last wins.
public final class ConnectionPolicy: Sendable {
    public static let refreshInterval: Duration = .seconds(30)
    /// The alarm audit's `typ` of a refused connection (ours; Pro's alarm types stop at 10).
    public static let refusalAlarmType: Int64 = 100

    public let mustLogin: Bool
    private let devices: DeviceDirectory
    private let store: any PolicyStore & AuditStore
    private let clock: APIClock
    private let logger: Logger
    /// Guards the facts and the ticket of the reload that produced them.
    private let state = Mutex<(facts: AccessFacts, ticket: Int64)>((AccessFacts(), 0))
    private let tickets = Atomic<Int64>(0)
    private let auditBudget: RefusalAuditBudget

    public init(
        mustLogin: Bool, devices: DeviceDirectory, store: any PolicyStore & AuditStore, clock: APIClock,
        auditBudget: RefusalAuditBudget = RefusalAuditBudget(), logger: Logger
    ) {
        self.mustLogin = mustLogin
        self.devices = devices
        self.store = store
        self.clock = clock
        self.auditBudget = auditBudget
        self.logger = logger
    }

    /// Why a connection from the holder of `token` (the request's `token`, "" when not logged in) at
    /// `ip` to device `id` is refused; nil = allowed. A refusal is written to the alarm audit (within
    /// `auditBudget`, so a flood of refused requests cannot flood the disk) and logged at debug.
    public func check(deviceID id: String, token: String, from ip: String) -> ConnectionRules.Refusal? {
        let device = devices.entry(id)
        let facts = state.withLock { $0.facts }
        // Hashing the token is needed only when a rule or MUST_LOGIN can use its answer.
        let initiator = (mustLogin || !facts.rules.isEmpty) ? user(holding: token, facts) : nil
        guard
            let refusal = ConnectionRules.decide(
                device: device, initiator: initiator, facts: facts, mustLogin: mustLogin)
        else { return nil }
        let userName = initiator.flatMap { facts.users[$0]?.name } ?? ""
        logger.debug(
            "connection refused by policy",
            metadata: ["peer.id": "\(id)", "reason": "\(refusal.rawValue)", "ip": "\(ip)", "user": "\(userName)"])
        if auditBudget.take(now: clock.now()) { audit(refusal, deviceID: id, ip: ip, userName: userName) }
        return refusal
    }

    private func audit(_ refusal: ConnectionRules.Refusal, deviceID: String, ip: String, userName: String) {
        let info = ConsoleRecord.json([("reason", refusal.rawValue), ("ip", ip), ("user", userName)])
        let alarm = AlarmAudit(deviceID: deviceID, typ: Self.refusalAlarmType, info: info, createdAt: clock.now())
        let (store, logger) = (store, logger)
        Task {
            do throws(APIStoreError) {
                _ = try await store.insertAlarmAudit(alarm, nonce: nil)
            } catch {
                logger.warning("cannot audit a refused connection", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Whether device `id` is disabled (itself, or through its owner): it may not change its ID either.
    public func isDisabled(deviceID id: String) -> Bool {
        let facts = state.withLock { $0.facts }
        return ConnectionRules.decide(device: devices.entry(id), initiator: nil, facts: facts, mustLogin: false)
            == .deviceDisabled
    }

    /// hbbs moved a device to a new ID (the store moved its row in the same commit).
    public func deviceIDChanged(from oldID: String, to newID: String) {
        devices.rename(from: oldID, to: newID)
    }

    /// The enabled user whose live session `token` is.
    private func user(holding token: String, _ facts: AccessFacts) -> User.ID? {
        guard !token.isEmpty, let digest = SessionToken.digest(of: token), let session = facts.sessions[digest],
            session.expiresAt > clock.now(), facts.users[session.userID]?.disabled == false
        else { return nil }
        return session.userID
    }

    /// Reads users, sessions and rules again; on failure the facts held stay (and the failure is logged).
    public func reload() async {
        let ticket = tickets.add(1, ordering: .relaxed).newValue
        do {
            let facts = try await store.accessFacts(now: clock.now())
            state.withLock { held in
                if ticket > held.ticket { held = (facts, ticket) }
            }
        } catch {
            logger.error("cannot load the connection policy", metadata: ["error": "\(error)"])
        }
    }

    /// For the metrics and the tests.
    public var facts: AccessFacts { state.withLock { $0.facts } }
}
