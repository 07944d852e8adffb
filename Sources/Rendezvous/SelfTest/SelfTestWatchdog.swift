import Logging
import NIOCore
import NIOPosix
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import ServiceLifecycle

/// The UDP self-test of hbbs (spec/hbbs.md §3.2): sends a RegisterPeer for `(:test_hbbs:)` to the server's own
/// UDP port every second and fails when its probes went unanswered for more than 12 s (see `SelfTestReplyClock`),
/// retrying once on 127.0.0.1 when the target came from `[::]`. Owns its probe socket; hbbs runs it as a
/// `Service` and exits from `onFailure`.
public struct SelfTestWatchdog: Service {
    /// Timings; tests shorten them.
    public struct Settings: Sendable {
        /// Time between two probes (1 s).
        public var interval: Duration
        /// Longest tolerated silence (12 s); the test fails once silence exceeds it.
        public var threshold: Duration

        public init(interval: Duration = .seconds(1), threshold: Duration = .seconds(12)) {
            self.interval = interval
            self.threshold = threshold
        }
    }

    /// The ID the reference uses; RegisterPeer of an unknown ID creates no record.
    static let testPeerID = "(:test_hbbs:)"

    private let target: SelfTestTarget?
    private let group: any EventLoopGroup
    private let settings: Settings
    /// What the probe period and the silence are measured on; tests pass a clock they move by hand.
    private let clock: ProbeClock
    /// The silence of the target being probed; reset when a probe phase starts. Internal so tests can
    /// wait until a reply has been taken in before they move their clock on.
    let replies = SelfTestReplyClock()
    private let logger: Logger
    private let onFailure: @Sendable (SelfTestError) -> Void

    /// `target` nil (TEST_HBBS=no) disables the test; `run()` then only waits for shutdown.
    /// `onFailure` is called once, after the final failure; hbbs logs it and exits with status 1.
    public init(
        target: SelfTestTarget?,
        group: any EventLoopGroup,
        settings: Settings = Settings(),
        clock: some Clock<Duration> = ContinuousClock(),
        logger: Logger,
        onFailure: @escaping @Sendable (SelfTestError) -> Void
    ) {
        self.target = target
        self.group = group
        self.settings = settings
        self.clock = ProbeClock(clock)
        self.logger = logger
        self.onFailure = onFailure
    }

    /// For /readyz: nil when the self-test is off; otherwise whether the UDP port answers, that is, a
    /// probe has been answered and none has waited longer than `readinessSilence` (a few periods, well
    /// before the watchdog gives up and hbbs exits).
    public func udpPortAnswers(readinessSilence: Duration = .seconds(3)) -> Bool? {
        guard target != nil else { return nil }
        return replies.everAnswered && replies.silence(at: clock.now()) <= readinessSilence
    }

    /// Runs until graceful shutdown or cancellation, or returns right after calling `onFailure`.
    public func run() async throws {
        guard let target else {
            // Returning early would end the whole ServiceGroup, so a disabled test just waits.
            try? await gracefulShutdown()
            return
        }
        do {
            try await cancelWhenGracefulShutdown {
                var failure = try await probe(target.address)
                if let fallback = target.fallback {
                    logger.warning(
                        "Self-test failed, retrying on IPv4 loopback",
                        metadata: ["target": "\(target.address)", "error": "\(failure)", "fallback": "\(fallback)"]
                    )
                    failure = try await probe(fallback)
                }
                onFailure(failure)
            }
        } catch is CancellationError {
            logger.debug("Self-test stopped")
        }
    }

    /// Probes `target` until it fails (returned) or the task is cancelled (thrown).
    private func probe(_ target: SocketAddr) async throws(CancellationError) -> SelfTestError {
        replies.reset()
        let channel: any Channel
        let remote: SocketAddress
        let payload: [UInt8]
        do {
            remote = try SocketAddress(ipAddress: target.ip.description, port: Int(target.port))
            payload = try Self.registerPeer()
            channel = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SelfTestReplyHandler(clock: replies))
                    }
                }
                .bind(host: target.ip.isIPv4 ? "0.0.0.0" : "::", port: 0)
                .get()
        } catch {
            return .socket(target: target, reason: "\(error)")
        }
        logger.debug("Self-test started", metadata: ["target": "\(target)"])
        let outcome: Result<SelfTestError, CancellationError>
        do {
            outcome = .success(try await probe(target, remote: remote, payload: payload, on: channel))
        } catch {
            outcome = .failure(error)
        }
        // Closed before the next phase resets `replies`, so no late reply of this one can reach it.
        try? await channel.close()
        return try outcome.get()
    }

    private func probe(
        _ target: SocketAddr, remote: SocketAddress, payload: [UInt8], on channel: any Channel
    ) async throws(CancellationError) -> SelfTestError {
        var next = clock.now()
        while true {
            let now = clock.now()
            if replies.silence(at: now) > settings.threshold { return .noReply(target: target) }
            replies.recordProbe(at: now)
            do {
                let datagram = AddressedEnvelope(remoteAddress: remote, data: ByteBuffer(bytes: payload))
                try await channel.writeAndFlush(datagram).get()
            } catch {
                return .socket(target: target, reason: "\(error)")
            }
            next = max(next + settings.interval, clock.now())
            do {
                try await clock.sleep(next)
            } catch {
                throw CancellationError()
            }
        }
    }

    private static func registerPeer() throws -> [UInt8] {
        var message = Hbb_RendezvousMessage()
        message.registerPeer = Hbb_RegisterPeer.with { $0.id = testPeerID }
        return try message.serializedBytes()
    }
}

/// A `Clock` read as time since the watchdog was made, so the watchdog needs no generic parameter.
private struct ProbeClock: Sendable {
    let now: @Sendable () -> Duration
    let sleep: @Sendable (_ until: Duration) async throws -> Void

    init<C: Clock<Duration>>(_ clock: C) {
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        sleep = { try await clock.sleep(until: origin.advanced(by: $0), tolerance: nil) }
    }
}
