import Benchmark
import Foundation
import NIOCore
import PeerStore
import RendezvousProtocol
import RendezvousCore
import RustDeskCore
import RustDeskNIO

// The in-memory peer table under the calls hbbs makes per message, at 100,000 registered peers:
// the UDP heartbeat (UDPRegistrationHandler), a first RegisterPk (PeerRegistrar) and the lookup
// of a PunchHoleRequest (RendezvousTCPHandler). mallocCountTotal is per operation.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 1000
    )

    // MARK: Heartbeat

    // Peers are visited in a shuffled order, as heartbeats from many clients arrive, so the shard
    // dictionaries are not served from a warm cache line each time.
    Benchmark("Heartbeat, existing peer (rules under shard lock)") { benchmark, fixture in
        var cursor = fixture.nextCursor()
        for _ in benchmark.scaledIterations {
            let index = fixture.order[cursor]
            cursor = cursor == fixture.order.count - 1 ? 0 : cursor + 1
            let outcome = fixture.registry.withPeer(fixture.ids[index]) {
                RegistrationRules.heartbeat(&$0, source: fixture.sources[index], now: fixture.now)
            }
            blackHole(outcome)
        }
        fixture.saveCursor(cursor)
    } setup: {
        RegistryFixture.make()
    }

    // The datagram's whole decision without the socket: decode it, map NIO's address, run the rules.
    Benchmark("Heartbeat datagram, existing peer (decode + address + rules)") { benchmark, fixture in
        var cursor = fixture.nextCursor()
        for _ in benchmark.scaledIterations {
            let index = fixture.order[cursor]
            cursor = cursor == fixture.order.count - 1 ? 0 : cursor + 1
            let datagram = fixture.datagrams[index]
            guard let source = datagram.remoteAddress.socketAddr,
                let message = try? Hbb_RendezvousMessage(buffer: datagram.data),
                case .registerPeer(let registerPeer) = message.union
            else { fatalError("fixture datagram must decode") }
            let outcome = fixture.registry.withPeer(registerPeer.id) {
                RegistrationRules.heartbeat(&$0, source: source, now: fixture.now)
            }
            blackHole(outcome)
        }
        fixture.saveCursor(cursor)
    } setup: {
        RegistryFixture.make()
    }

    // MARK: New peer

    // RegisterPk of an unknown ID as PeerRegistrar runs it (IP text, key copies, rules, a new GUID),
    // minus the IP blocker and the database queue. The new IDs are made before and removed after the
    // measured loop, so the table stays at 100,000 peers.
    Benchmark("RegisterPk, new peer (rules + insert)") { benchmark, fixture in
        let ids = fixture.freshIDs(benchmark.scaledIterations.count)
        let source = SocketAddr(ip: IPAddress(v4Octets: 198, 51, 100, 23), port: 40_000)
        let message = Hbb_RegisterPk.with {
            $0.uuid = fixture.uuid
            $0.pk = fixture.pk
        }
        benchmark.startMeasurement()
        for id in ids {
            let ipText = source.ip.description
            let uuid = [UInt8](message.uuid)
            let pk = [UInt8](message.pk)
            let outcome = fixture.registry.withPeer(id) { record in
                RegistrationRules.registerPk(
                    &record, id: id, uuid: uuid, pk: pk, source: source, sourceIPText: ipText,
                    allowedByIPBlocker: { true }, newGUID: PeerGUID.make, now: fixture.now)
            }
            blackHole(outcome)
        }
        benchmark.stopMeasurement()
        for id in ids { fixture.registry.withPeer(id) { $0 = nil } }
    } setup: {
        RegistryFixture.make()
    }

    // MARK: Punch-hole lookup

    // What §8 reads before routing: the record by ID, its liveness and its last UDP address.
    Benchmark("Punch-hole lookup, online peer") { benchmark, fixture in
        var cursor = fixture.nextCursor()
        for _ in benchmark.scaledIterations {
            let index = fixture.order[cursor]
            cursor = cursor == fixture.order.count - 1 ? 0 : cursor + 1
            guard let peer = fixture.registry.peer(fixture.ids[index]), peer.isOnline(now: fixture.now) else {
                fatalError("fixture peer must be online")
            }
            blackHole(peer.socketAddr)
        }
        fixture.saveCursor(cursor)
    } setup: {
        RegistryFixture.make()
    }
}

/// 100,000 registered, online peers with 10-digit IDs, 16-byte guid and uuid, a 32-byte pk and a
/// distinct public IPv4 address each; plus each peer's heartbeat datagram.
final class RegistryFixture: @unchecked Sendable {
    // @unchecked: used by one benchmark thread at a time; the registry itself is thread-safe.
    static let peerCount = 100_000

    let registry = PeerRegistry()
    let ids: [String]
    let sources: [SocketAddr]
    let datagrams: [AddressedEnvelope<ByteBuffer>]
    let order: [Int]
    let now: Milliseconds = 10_000_000
    let uuid = Data((0..<16).map { UInt8($0) })
    let pk = Data((0..<32).map { UInt8(0x80 + $0) })
    private var cursor = 0
    private var nextFreshID = 2_000_000_000

    static func make() -> RegistryFixture {
        RegistryFixture()
    }

    private init() {
        var ids: [String] = []
        var sources: [SocketAddr] = []
        var datagrams: [AddressedEnvelope<ByteBuffer>] = []
        var records: [(id: String, peer: RegisteredPeer)] = []
        let allocator = ByteBufferAllocator()
        for index in 0..<Self.peerCount {
            let id = String(1_000_000_000 + index * 7)
            // 100.64.0.0/10 spread over all four octets; ports vary too.
            let ip = IPAddress.v4(0x6440_0000 | UInt32(index))
            let source = SocketAddr(ip: ip, port: UInt16(20_000 + index % 40_000))
            var peer = RegisteredPeer.loaded(
                guid: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 16), uuid: [UInt8](uuid),
                pk: [UInt8](pk), infoIP: ip.description, now: now)
            peer.socketAddr = source
            peer.lastRegTime = now - 1000
            records.append((id, peer))
            ids.append(id)
            sources.append(source)
            let data = try! Hbb_RendezvousMessage.with {
                $0.registerPeer = .with {
                    $0.id = id
                    $0.serial = 7
                }
            }.byteBuffer(allocator: allocator)
            datagrams.append(AddressedEnvelope(remoteAddress: try! SocketAddress(source), data: data))
        }
        registry.insert(records)
        precondition(registry.count == Self.peerCount)
        self.ids = ids
        self.sources = sources
        self.datagrams = datagrams
        var generator = SplitMix64(seed: 42)
        order = (0..<Self.peerCount).shuffled(using: &generator)
    }

    /// Where the previous sample stopped, so samples keep walking the shuffled order.
    func nextCursor() -> Int { cursor }
    func saveCursor(_ value: Int) { cursor = value }

    /// IDs never registered before (10 digits, above every fixture ID).
    func freshIDs(_ count: Int) -> [String] {
        defer { nextFreshID += count }
        return (nextFreshID..<nextFreshID + count).map { String($0) }
    }
}

/// A seeded generator so every run visits peers in the same order.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
