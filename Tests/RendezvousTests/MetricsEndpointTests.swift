import Foundation
import RustDeskCore
import TestSupport
import Testing

@testable import Rendezvous

/// hbbs's /metrics, /healthz and /readyz through the real HTTP wire, fed by real registrations.
@Suite struct MetricsEndpointTests {
    static let loopback = MetricsAddress(host: IPAddress(v4Octets: 127, 0, 0, 1), port: 0)

    @Test func registrationsShowOnMetricsAndReadinessFollowsTheListeners() async throws {
        let hbbs = try await TestHbbs(metricsAddress: Self.loopback)
        let port = try #require(hbbs.metricsPort)
        let udp = try await UDPTestPeer()
        try await udp.send(
            Messages.registerPk(Messages.newID(), uuid: Messages.newUUID(), pk: Messages.newPk()), to: hbbs.port)
        #expect(try await udp.receive().registerPkResponse.result == .ok)

        let metrics = try await HTTPTestClient.get(port: port, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains(#"hbbs_registrations_total{result="ok"} 1"#))
        #expect(metrics.text.contains("hbbs_peers_registered 1.0"))
        #expect(metrics.text.contains("hbbs_peers_online 1.0"))
        #expect(try await HTTPTestClient.get(port: port, "/healthz").status == 200)
        // The self-test is off here, so readiness rests on the listeners and the store.
        #expect(try await HTTPTestClient.get(port: port, "/readyz").status == 200)

        await hbbs.server.close()
        let notReady = try await HTTPTestClient.get(port: port, "/readyz")
        #expect(notReady.status == 503)
        #expect(notReady.text.contains("listeners are not serving"))
        await udp.close()
        await hbbs.stop()
    }

    @Test func aStoreThatRefusesWritesIsNotReady() async throws {
        let hbbs = try await TestHbbs(storeOverride: FailingStore(), metricsAddress: Self.loopback)
        let port = try #require(hbbs.metricsPort)
        let answer = try await HTTPTestClient.get(port: port, "/readyz")
        #expect(answer.status == 503)
        #expect(answer.text.contains("the peer store does not accept writes"))
        #expect(!answer.text.contains("listeners"))
        await hbbs.stop()
    }
}
