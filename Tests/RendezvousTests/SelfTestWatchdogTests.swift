import Logging
import NIOCore
import NIOPosix
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import ServiceLifecycle
import TestSupport
import Testing

@testable import Rendezvous

/// Answers each datagram as the test asks and records the RegisterPeer IDs it received.
private final class SelfTestResponder: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    enum Answer {
        case registerPeerResponse
        case garbage
        case silence
    }

    private let answer: Answer
    private let received: RelaysTestEvents<String>

    init(answer: Answer, received: RelaysTestEvents<String>) {
        self.answer = answer
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let message = try? Hbb_RendezvousMessage(serializedBytes: Array(envelope.data.readableBytesView))
        received.record(message?.registerPeer.id ?? "<unparseable>")
        let reply: [UInt8]
        switch answer {
        case .silence:
            return
        case .garbage:
            reply = [0xFF, 0xFF, 0xFF]
        case .registerPeerResponse:
            var response = Hbb_RendezvousMessage()
            response.registerPeerResponse = Hbb_RegisterPeerResponse()
            guard let bytes: [UInt8] = try? response.serializedBytes() else { return }
            reply = bytes
        }
        let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: reply))
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }
}

@Suite("SelfTestWatchdog")
struct SelfTestWatchdogTests {
    private static let logger = Logger(label: "test.self-test") { _ in SwiftLogNoOpLogHandler() }
    /// The real timings (a probe a second, 12 s of silence), on a `ManualClock` the tests move period by period.
    private static let settings = SelfTestWatchdog.Settings()
    /// Enough probes to span 2.5 thresholds: had replies been ignored, the test would have failed by then.
    private static let probesBeyondThreshold = 30

    private static func responder(
        _ answer: SelfTestResponder.Answer,
        received: RelaysTestEvents<String>
    ) async throws -> (channel: any Channel, port: UInt16) {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        SelfTestResponder(answer: answer, received: received)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(channel.localAddress?.port.flatMap { UInt16(exactly: $0) })
        return (channel, port)
    }

    private static func loopback4(_ port: UInt16) -> SocketAddr {
        SocketAddr(ip: IPAddress(v4Octets: 127, 0, 0, 1), port: port)
    }

    /// Starts the watchdog; `failures` records each `onFailure`, `finished` records when `run()` returns.
    @discardableResult
    private static func start(
        _ target: SelfTestTarget?,
        clock: ManualClock = ManualClock(),
        failures: RelaysTestEvents<SelfTestError>,
        finished: RelaysTestEvents<Void>
    ) -> (task: Task<Void, any Error>, watchdog: SelfTestWatchdog) {
        let watchdog = SelfTestWatchdog(
            target: target,
            group: MultiThreadedEventLoopGroup.singleton,
            settings: settings,
            clock: clock,
            logger: logger,
            onFailure: { failures.record($0) }
        )
        let task = Task {
            try await watchdog.run()
            finished.record(())
        }
        return (task, watchdog)
    }

    /// Runs `count` answered periods: each once the responder has its probe (the first `count` it
    /// receives) and the watchdog has taken in the answer, so answers are never behind, however slow
    /// the machine.
    private static func driveAnswered(
        _ count: Int, _ watchdog: SelfTestWatchdog, clock: ManualClock, received: RelaysTestEvents<String>
    ) async {
        for probe in 1...count {
            let arrived = await received.wait(forCount: probe, timeout: .seconds(30))
            #expect(arrived, "probe \(probe)")
            let answered = await poll(timeout: .seconds(30)) { watchdog.replies.allAnswered }
            #expect(answered, "answer \(probe)")
            guard arrived, answered else { return }
            #expect(await drive(clock, periods: 1) == 1)
        }
    }

    // MARK: target

    @Test func targetFromListenerAndTestHbbs() throws {
        let any6 = try SocketAddress(ipAddress: "::", port: 21116)
        let any4 = try SocketAddress(ipAddress: "0.0.0.0", port: 21116)
        let bound = try SocketAddress(ipAddress: "10.1.2.3", port: 21116)

        #expect(try SelfTestTarget.make(testHbbs: "no", listenerAddress: any6) == nil)
        #expect(try SelfTestTarget.make(testHbbs: "No", listenerAddress: any6) == nil)
        #expect(
            try SelfTestTarget.make(testHbbs: "", listenerAddress: any6)
                == SelfTestTarget(address: SocketAddr(ip: .ipv6Loopback, port: 21116), fallback: Self.loopback4(21116))
        )
        #expect(
            try SelfTestTarget.make(testHbbs: "", listenerAddress: any4)
                == SelfTestTarget(address: Self.loopback4(21116))
        )
        #expect(
            try SelfTestTarget.make(testHbbs: "", listenerAddress: bound)
                == SelfTestTarget(address: SocketAddr(ip: IPAddress(v4Octets: 10, 1, 2, 3), port: 21116))
        )
        #expect(
            try SelfTestTarget.make(testHbbs: "[::]:5", listenerAddress: bound)
                == SelfTestTarget(address: SocketAddr(ip: .ipv6Loopback, port: 5), fallback: Self.loopback4(5))
        )
        #expect(
            try SelfTestTarget.make(testHbbs: "0.0.0.0:5", listenerAddress: any6)
                == SelfTestTarget(address: Self.loopback4(5))
        )
        #expect(
            try SelfTestTarget.make(testHbbs: "[::1]:5", listenerAddress: any6)
                == SelfTestTarget(address: SocketAddr(ip: .ipv6Loopback, port: 5))
        )
    }

    @Test(arguments: ["localhost:21116", "127.0.0.1", "::1", "1.2.3.4:99999", "yes"])
    func invalidTestHbbsIsAStartupError(text: String) throws {
        let listener = try SocketAddress(ipAddress: "::", port: 21116)
        #expect(throws: SelfTestError.invalidTarget(text)) {
            try SelfTestTarget.make(testHbbs: text, listenerAddress: listener)
        }
    }

    // MARK: silence

    @Test func silenceCountsFromTheOldestUnansweredProbe() {
        let clock = SelfTestReplyClock()
        // A starved probe loop sends nothing: however long, that is no silence of the UDP path.
        #expect(clock.silence(at: .seconds(60)) == .zero)

        clock.recordProbe(at: .zero)
        clock.recordProbe(at: .seconds(1))
        #expect(clock.silence(at: .seconds(5)) == .seconds(5))

        clock.recordReply()
        #expect(clock.silence(at: .seconds(30)) == .zero)

        clock.recordProbe(at: .seconds(30))
        #expect(clock.silence(at: .seconds(43)) == .seconds(13))
    }

    /// Lets the probe loop run one period at a time: once it sleeps (its probe is out) the clock moves one
    /// interval, until `done` holds or `limit` periods passed. Returns the periods moved. A loop that ended
    /// (it failed) sleeps no more; `done` must then hold, or this gives up after 30 s of real time.
    private static func drive(
        _ clock: ManualClock, periods limit: Int, until done: @Sendable () -> Bool = { false }
    ) async -> Int {
        for period in 0..<limit {
            let deadline = ContinuousClock.now + .seconds(30)
            while clock.sleeperCount == 0 {
                if done() || ContinuousClock.now >= deadline { return period }
                try? await Task.sleep(for: .milliseconds(2))
            }
            clock.advance(by: settings.interval)
        }
        return limit
    }

    // MARK: probing

    @Test(.timeLimit(.minutes(3)))
    func answeredProbesNeverFail() async throws {
        let received = RelaysTestEvents<String>()
        let responder = try await Self.responder(.registerPeerResponse, received: received)
        defer { responder.channel.close(promise: nil) }
        let failures = RelaysTestEvents<SelfTestError>()
        let finished = RelaysTestEvents<Void>()
        let clock = ManualClock()
        let (service, watchdog) = Self.start(
            SelfTestTarget(address: Self.loopback4(responder.port)), clock: clock, failures: failures,
            finished: finished)

        await Self.driveAnswered(Self.probesBeyondThreshold, watchdog, clock: clock, received: received)
        #expect(failures.values.isEmpty)
        #expect(received.values.allSatisfy { $0 == "(:test_hbbs:)" })
        service.cancel()
        #expect(await finished.wait(forCount: 1, timeout: .seconds(30)))
        #expect(failures.values.isEmpty)
    }

    @Test(.timeLimit(.minutes(3)))
    func silentTargetFails() async throws {
        let received = RelaysTestEvents<String>()
        let responder = try await Self.responder(.silence, received: received)
        defer { responder.channel.close(promise: nil) }
        let failures = RelaysTestEvents<SelfTestError>()
        let finished = RelaysTestEvents<Void>()
        let target = Self.loopback4(responder.port)
        let clock = ManualClock()
        Self.start(SelfTestTarget(address: target), clock: clock, failures: failures, finished: finished)

        // Fails once silence exceeds 12 s: at the probe after 13 periods, not before.
        let periods = await Self.drive(clock, periods: 40) { !failures.values.isEmpty }
        #expect(await failures.wait(forCount: 1, timeout: .seconds(30)))
        #expect(periods == 13)
        #expect(failures.values == [.noReply(target: target)])
        #expect(await finished.wait(forCount: 1, timeout: .seconds(30)))
        #expect(await received.wait(forCount: 13, timeout: .seconds(30)))
    }

    @Test(.timeLimit(.minutes(3)))
    func unparseableRepliesDoNotCount() async throws {
        let received = RelaysTestEvents<String>()
        let responder = try await Self.responder(.garbage, received: received)
        defer { responder.channel.close(promise: nil) }
        let failures = RelaysTestEvents<SelfTestError>()
        let target = Self.loopback4(responder.port)
        let clock = ManualClock()
        Self.start(SelfTestTarget(address: target), clock: clock, failures: failures, finished: RelaysTestEvents())

        _ = await Self.drive(clock, periods: 40) { !failures.values.isEmpty }
        #expect(await failures.wait(forCount: 1, timeout: .seconds(30)))
        #expect(failures.values == [.noReply(target: target)])
    }

    @Test(.timeLimit(.minutes(3)))
    func unspecifiedIPv6TargetIsRetriedOnIPv4Loopback() async throws {
        // The responder listens on 127.0.0.1 only, so [::1] stays silent and anything it receives is the retry.
        let received = RelaysTestEvents<String>()
        let responder = try await Self.responder(.registerPeerResponse, received: received)
        defer { responder.channel.close(promise: nil) }
        let failures = RelaysTestEvents<SelfTestError>()
        let finished = RelaysTestEvents<Void>()
        let target = SelfTestTarget.derive(from: SocketAddr(ip: .v6(0), port: responder.port))
        let clock = ManualClock()
        let (service, watchdog) = Self.start(target, clock: clock, failures: failures, finished: finished)

        // The [::1] phase fails after 13 silent periods; then the retry's probes are answered.
        #expect(await Self.drive(clock, periods: 13) == 13)
        await Self.driveAnswered(Self.probesBeyondThreshold, watchdog, clock: clock, received: received)
        #expect(failures.values.isEmpty)
        service.cancel()
        #expect(await finished.wait(forCount: 1, timeout: .seconds(30)))
        #expect(failures.values.isEmpty)
    }

    @Test(.timeLimit(.minutes(3)))
    func failedRetryReportsOnce() async throws {
        let received = RelaysTestEvents<String>()
        let responder = try await Self.responder(.silence, received: received)
        defer { responder.channel.close(promise: nil) }
        let failures = RelaysTestEvents<SelfTestError>()
        let finished = RelaysTestEvents<Void>()
        let target = SelfTestTarget.derive(from: SocketAddr(ip: .v6(0), port: responder.port))
        let clock = ManualClock()
        Self.start(target, clock: clock, failures: failures, finished: finished)

        let periods = await Self.drive(clock, periods: 60) { !finished.values.isEmpty }
        #expect(await finished.wait(forCount: 1, timeout: .seconds(30)))
        #expect(periods == 26)
        #expect(failures.values == [.noReply(target: Self.loopback4(responder.port))])
        // The retry probed the responder (its reads may still be on their way to it).
        #expect(await received.wait(forCount: 13, timeout: .seconds(30)))
    }

    /// TEST_HBBS=no: the service stays up until the group shuts down. Had it returned on its own, the
    /// group would have ended with `serviceFinishedUnexpectedly` instead of the graceful shutdown.
    @Test(.timeLimit(.minutes(3)))
    func disabledTestWaitsForShutdown() async throws {
        let failures = RelaysTestEvents<SelfTestError>()
        let watchdog = SelfTestWatchdog(
            target: nil, group: MultiThreadedEventLoopGroup.singleton, logger: Self.logger,
            onFailure: { failures.record($0) })
        let started = RelaysTestEvents<Void>()
        let group = ServiceGroup(
            configuration: .init(services: [watchdog, StartedService(started: started)], logger: Self.logger))
        let outcome = RelaysTestEvents<String>()
        Task {
            do {
                try await group.run()
                outcome.record("graceful")
            } catch {
                outcome.record("\(error)")
            }
        }

        #expect(await started.wait(forCount: 1, timeout: .seconds(30)))
        await group.triggerGracefulShutdown()
        #expect(await outcome.wait(forCount: 1, timeout: .seconds(30)))
        #expect(outcome.values == ["graceful"])
        #expect(failures.values.isEmpty)
    }

    @Test(.timeLimit(.minutes(3)))
    func gracefulShutdownEndsARunningTest() async throws {
        let received = RelaysTestEvents<String>()
        let responder = try await Self.responder(.registerPeerResponse, received: received)
        defer { responder.channel.close(promise: nil) }
        let failures = RelaysTestEvents<SelfTestError>()
        let clock = ManualClock()
        let watchdog = SelfTestWatchdog(
            target: SelfTestTarget(address: Self.loopback4(responder.port)),
            group: MultiThreadedEventLoopGroup.singleton,
            settings: Self.settings,
            clock: clock,
            logger: Self.logger,
            onFailure: { failures.record($0) }
        )
        let group = ServiceGroup(configuration: .init(services: [watchdog], logger: Self.logger))
        let finished = RelaysTestEvents<Void>()
        Task {
            try await group.run()
            finished.record(())
        }

        #expect(await received.wait(forCount: 1, timeout: .seconds(30)))
        #expect(await Self.drive(clock, periods: 1) == 1)
        #expect(await received.wait(forCount: 2, timeout: .seconds(30)))
        await group.triggerGracefulShutdown()
        #expect(await finished.wait(forCount: 1, timeout: .seconds(30)))
        #expect(failures.values.isEmpty)
    }
}

/// Records that the group runs it, then waits for the group's shutdown.
private struct StartedService: Service {
    let started: RelaysTestEvents<Void>

    func run() async throws {
        started.record(())
        try? await gracefulShutdown()
    }
}
