import APICore
import ClientAPI
import Observability
import Prometheus
import RendezvousCore
import RustDeskCore

/// Every event hbbs counts, one Prometheus series each, created up front in one registry: the
/// `/metrics` endpoint reads it, and so do the tests. Counting is a relaxed atomic add; nothing here
/// takes a lock on the datagram path. docs/operations.md lists the series.
public final class RendezvousMetrics: Sendable {
    /// Why a datagram was dropped without an answer.
    public enum DroppedDatagram: String, CaseIterable, Sendable {
        /// Not a RendezvousMessage.
        case malformed
        /// A valid message of a kind hbbs does not serve over UDP (§5.3).
        case notServed = "not_served"
    }

    /// How a RegisterPk ended: the answer sent (after the commit when the row changed), or `ignored`
    /// (no uuid or key; nothing is sent).
    public enum Registration: String, CaseIterable, Sendable {
        case ok, ignored
        case uuidMismatch = "uuid_mismatch"
        case tooFrequent = "too_frequent"
        case notSupported = "not_supported"
        case serverError = "server_error"

        /// Nil for the results only ID changes give (counted in `hbbs_id_changes_total`).
        init?(_ result: RegisterPkResult) {
            switch result {
            case .ok: self = .ok
            case .uuidMismatch: self = .uuidMismatch
            case .idExists, .invalidIDFormat: return nil
            case .tooFrequent: self = .tooFrequent
            case .notSupport: self = .notSupported
            case .serverError: self = .serverError
            }
        }
    }

    /// How a PunchHoleRequest was answered (§8): a failure to the requester, or what the peer was told.
    public enum PunchHole: String, CaseIterable, Sendable {
        case licenceMismatch = "licence_mismatch"
        case idNotExist = "id_not_exist"
        case offline
        /// The connection policy refused (`hbbs_policy_refusals_total` says why).
        case refused
        /// The peer was asked to punch (or, with ALWAYS_USE_RELAY, to relay).
        case punchHole = "punch_hole"
        /// The peer is on the requester's LAN and was asked for its local address.
        case fetchLocalAddress = "fetch_local_addr"

        init(_ failure: PunchHoleRules.Failure) {
            switch failure {
            case .licenceMismatch: self = .licenceMismatch
            case .idNotExist: self = .idNotExist
            case .offline: self = .offline
            case .refused: self = .refused
            }
        }
    }

    /// A PunchHoleRequest or RequestRelay the connection policy refused, by why.
    public enum PolicyRefusal: String, CaseIterable, Sendable {
        case deviceDisabled = "device_disabled"
        case mustLogin = "must_login"
        case accessRule = "access_rule"

        init(_ refusal: ConnectionRules.Refusal) {
            switch refusal {
            case .deviceDisabled: self = .deviceDisabled
            case .mustLogin: self = .mustLogin
            case .accessRule: self = .accessRule
            }
        }
    }

    /// How a RegisterPk with `old_id` (an ID change) ended.
    public enum IDChange: String, CaseIterable, Sendable {
        case ok
        case notAllowed = "not_allowed"
        case invalidID = "invalid_id"
        case uuidMismatch = "uuid_mismatch"
        case idExists = "id_exists"
        case tooFrequent = "too_frequent"
        case serverError = "server_error"
    }

    public enum Handshake: String, CaseIterable, Sendable {
        case secured, failed
    }

    public enum Transport: String, CaseIterable, Sendable {
        case tcp, websocket
    }

    /// How an HttpProxyRequest ended: `answered` (any HTTP status) or why it was not carried.
    public enum HTTPProxy: String, CaseIterable, Sendable {
        case answered, malformed, timeout, disabled, insecure, busy
        case internalError = "internal"
        case responseTooLarge = "response_too_large"

        init(_ failure: ProxyFailure?) {
            switch failure {
            case nil: self = .answered
            case .malformed: self = .malformed
            case .responseTooLarge: self = .responseTooLarge
            case .timeout: self = .timeout
            case .disabled: self = .disabled
            case .insecure: self = .insecure
            case .busy: self = .busy
            case .internalError: self = .internalError
            }
        }
    }

    /// Why a HealthCheck connection was refused or ended by hbbs.
    public enum HealthCheckRefusal: String, CaseIterable, Sendable {
        /// Unknown, expired or revoked token, or a disabled user, at the first check.
        case invalidToken = "invalid_token"
        /// The token stopped being valid while the connection was open (logout, password change).
        case revoked
        case insecure, disabled
        /// The store could not check the token at the first check.
        case unavailable
    }

    public let registry: PrometheusCollectorRegistry
    let datagramsReceived: Counter
    let datagramsDropped: EventCounters<DroppedDatagram>
    let heartbeats: Counter
    let registrations: EventCounters<Registration>
    let punchHoleRequests: EventCounters<PunchHole>
    let relayRequests: Counter
    let secureHandshakes: EventCounters<Handshake>
    let connections: EventCounters<Transport>
    let connectionsClosed: EventCounters<CloseReason>
    let consoleCommands: Counter
    let storeCommit: DurationHistogram
    let peersRegistered: Gauge
    let peersOnline: Gauge
    let storeQueueDepth: Gauge
    let registrationConnections: Gauge
    let waitingRequesters: Gauge
    let httpProxyRequests: EventCounters<HTTPProxy>
    let healthCheckRefusals: EventCounters<HealthCheckRefusal>
    let healthCheckConnections: Gauge
    let policyRefusals: EventCounters<PolicyRefusal>
    let idChanges: EventCounters<IDChange>

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        func counter(_ name: String, _ help: String) -> MetricNameDescriptor { .counter("hbbs", name, help: help) }
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: .gauge("hbbs", name, help: help))
        }
        datagramsReceived = registry.makeCounter(descriptor: counter("datagrams_received", "UDP datagrams received."))
        datagramsDropped = EventCounters(
            registry, counter("datagrams_dropped", "UDP datagrams dropped unanswered, by reason."), label: "reason")
        heartbeats = registry.makeCounter(descriptor: counter("heartbeats", "RegisterPeer heartbeats received."))
        registrations = EventCounters(
            registry, counter("registrations", "RegisterPk requests, by result."), label: "result")
        punchHoleRequests = EventCounters(
            registry, counter("punch_hole_requests", "PunchHoleRequests, by outcome."), label: "outcome")
        relayRequests = registry.makeCounter(
            descriptor: counter("relay_requests", "RequestRelay messages forwarded to a peer."))
        secureHandshakes = EventCounters(
            registry, counter("secure_handshakes", "Secure-TCP handshakes on PORT, by result."), label: "result")
        connections = EventCounters(
            registry, counter("connections", "Rendezvous connections accepted, by transport."), label: "transport")
        connectionsClosed = EventCounters(
            registry, counter("connections_closed", "Connections hbbs closed for misbehaving, by reason."),
            label: "reason")
        consoleCommands = registry.makeCounter(
            descriptor: counter("console_commands", "Loopback console commands run."))
        storeCommit = registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "hbbs", metricName: "store_commit", unitName: "seconds",
                helpText: "Time to commit one batch of peer rows."),
            buckets: [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
            ])
        peersRegistered = gauge("peers_registered", "Peers known to hbbs (in memory, loaded or registered).")
        peersOnline = gauge("peers_online", "Peers whose last heartbeat is inside the online window.")
        storeQueueDepth = gauge("store_queue_depth", "Peer rows waiting for the next commit.")
        registrationConnections = gauge(
            "registration_connections", "Peers registered over a kept-open TCP or WebSocket connection.")
        waitingRequesters = gauge("punch_hole_waiting", "Requesters waiting for their peer's punch-hole answer.")
        httpProxyRequests = EventCounters(
            registry, counter("http_proxy_requests", "HttpProxyRequests on PORT, by result."), label: "result")
        healthCheckRefusals = EventCounters(
            registry, counter("health_check_refusals", "HealthCheck connections refused or ended, by reason."),
            label: "reason")
        healthCheckConnections = gauge(
            "health_check_connections", "Logged-in clients holding a HealthCheck connection open.")
        policyRefusals = EventCounters(
            registry,
            counter("policy_refusals", "PunchHoleRequests and RequestRelays the connection policy refused, by reason."),
            label: "reason")
        idChanges = EventCounters(
            registry, counter("id_changes", "ID changes (RegisterPk with old_id), by result."), label: "result")
    }

    /// Refreshes the gauges that are read from their owners rather than counted (at scrape time).
    func refreshGauges(_ services: RendezvousServices) {
        let registry = services.tables.registry
        peersRegistered.set(Double(registry.count))
        peersOnline.set(Double(registry.onlineCount(now: services.now())))
        storeQueueDepth.set(Double(services.store.queueDepth))
        registrationConnections.set(Double(services.messenger.connections.count))
        waitingRequesters.set(Double(services.punchRouter.count))
        healthCheckConnections.set(Double(services.healthChecks.count))
    }
}
