import Foundation
import PeerStore
import RendezvousCore
import RendezvousProtocol
import RustDeskCore
import Synchronization
import TestSupport
import Testing

/// The built executables, started as a self-hoster would: keys generated on first start, SIGTERM to
/// stop. `swift build --build-tests` builds them next to the test bundle.
@Suite(.serialized) struct ExecutableTests {
    static let binaries = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

    /// Ports handed out by `freePortBlock` in this process: launched servers bind theirs a while later,
    /// so two tests starting at once must not be given overlapping blocks.
    static let handedOut = Mutex<Set<Int>>([])

    /// A port P with P−2 … P+2 free for TCP and P free for UDP right now, overlapping no block handed
    /// out before in this process.
    static func freePortBlock() throws -> Int {
        for _ in 0..<200 {
            // Below the kernel's ephemeral range (32768 up by default), where the port-0 listeners and
            // client sockets of tests running beside this one are placed: they cannot take it meanwhile.
            let port = Int.random(in: 20_000...32_000)
            let block = Set(port - 2...port + 2)
            let claimed = handedOut.withLock { handed in
                guard handed.isDisjoint(with: block) else { return false }
                handed.formUnion(block)
                return true
            }
            guard claimed else { continue }
            if block.allSatisfy({ canBind(port: $0, type: Int32(SOCK_STREAM.rawValue)) })
                && canBind(port: port, type: Int32(SOCK_DGRAM.rawValue))
            {
                return port
            }
        }
        throw TestTimeout(what: "a free port block")
    }

    static func canBind(port: Int, type: Int32) -> Bool {
        let fd = socket(AF_INET, Int32(type), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func launch(
        _ name: String, _ arguments: [String], in directory: String, metricsAddress: String = "127.0.0.1:0"
    ) throws -> Process {
        let process = Process()
        process.executableURL = binaries.appendingPathComponent(name)
        // An ephemeral metrics port unless a test names one: the default would collide between tests.
        process.arguments = arguments + ["--metrics-addr", metricsAddress]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func waitForExit(_ process: Process, timeout: Duration = .seconds(10)) async -> Bool {
        await poll(timeout: timeout) { !process.isRunning }
    }

    @Test func hbbsGeneratesKeysServesAndStopsCleanlyOnSIGTERM() async throws {
        let directory = try TemporaryDirectory()
        let port = try Self.freePortBlock()
        let hbbs = try Self.launch("hbbs", ["-p", "\(port)"], in: directory.path)
        defer { if hbbs.isRunning { hbbs.terminate() } }

        let udp = try await UDPTestPeer()
        let id = Messages.newID()
        let pk = Messages.newPk()
        var answered = false
        let deadline = ContinuousClock.now + .seconds(20)
        while !answered && ContinuousClock.now < deadline {
            try await udp.send(Messages.registerPk(id, uuid: Messages.newUUID(), pk: pk), to: port)
            answered = (try? await udp.receive(timeout: .milliseconds(200)))?.registerPkResponse.result == .ok
        }
        #expect(answered)
        let publicKey = try String(contentsOfFile: directory.file("id_ed25519.pub"), encoding: .utf8)
        #expect(Base64.decode(publicKey)?.count == 32)

        kill(hbbs.processIdentifier, SIGTERM)
        #expect(await Self.waitForExit(hbbs))
        #expect(hbbs.terminationStatus == 0)
        let store = try SQLitePeerStore(location: DatabaseLocation(path: directory.file("db_v2.sqlite3")))
        #expect(try await store.peer(id: id)?.pk == pk)
        await store.shutdown()
        await udp.close()
    }

    @Test func hbbrRelaysAndStopsCleanlyOnSIGTERM() async throws {
        let directory = try TemporaryDirectory()
        let port = try Self.freePortBlock()
        let hbbr = try Self.launch("hbbr", ["-p", "\(port)"], in: directory.path)
        defer { if hbbr.isRunning { hbbr.terminate() } }
        var connected: TCPTestClient?
        let deadline = ContinuousClock.now + .seconds(20)
        while connected == nil && ContinuousClock.now < deadline {
            connected = try? await TCPTestClient(port: port, from: "127.0.0.80", framed: false)
            if connected == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let first = try #require(connected)
        let second = try await TCPTestClient(port: port, from: "127.0.0.81", framed: false)
        let request = try FrameCodec.encode(
            try Hbb_RendezvousMessage.with { $0.requestRelay = .with { $0.uuid = "e2e" } }.serializedBytes())
        // Either side may arrive first; the bytes behind the second frame reach the first side.
        try await first.sendRaw(request)
        try await second.sendRaw(request + Array("ping".utf8))
        let received = await first.receiveRaw()
        #expect(received.map { String(buffer: $0) } == "ping")
        kill(hbbr.processIdentifier, SIGTERM)
        #expect(await Self.waitForExit(hbbr))
        #expect(hbbr.terminationStatus == 0)
    }

    @Test func utilsKeyPairIsAcceptedByValidate() async throws {
        let directory = try TemporaryDirectory()
        let output = Pipe()
        let process = Process()
        process.executableURL = Self.binaries.appendingPathComponent("rustdesk-utils")
        process.arguments = ["genkeypair"]
        process.standardOutput = output
        try process.run()
        #expect(await Self.waitForExit(process))
        let text = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let keys = text.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(keys.count == 2)
        let validate = try Self.launch("rustdesk-utils", ["validatekeypair"] + keys, in: directory.path)
        #expect(await Self.waitForExit(validate))
        #expect(validate.terminationStatus == 0)
        let broken = try Self.launch("rustdesk-utils", ["validatekeypair", keys[0], keys[0]], in: directory.path)
        #expect(await Self.waitForExit(broken))
        #expect(broken.terminationStatus == 1)
    }
}
