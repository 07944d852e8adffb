import NIOCore
import RustDeskCore

/// How both servers bind their listeners (hbbs.md §1, hbbr.md §1): the configured address, or
/// dual-stack `[::]` falling back to `0.0.0.0`; and a main PORT with neighbours (PORT−1, PORT+2, UDP
/// PORT) that must be free too. With port 0 (tests) the kernel picks PORT; a neighbour may be taken,
/// so the block is retried with another PORT.
public enum ListenerBinding {
    public static func hosts(for bind: IPAddress?) -> [String] {
        bind.map { [$0.description] } ?? ["::", "0.0.0.0"]
    }

    /// The first host on which `bindBlock` succeeds, and its result; the last error otherwise.
    public static func onFirstHost<Result>(
        _ hosts: [String], _ bindBlock: (String) async throws -> Result
    ) async throws -> (host: String, result: Result) {
        var lastError: (any Error)?
        for host in hosts {
            do {
                return (host, try await bindBlock(host))
            } catch {
                lastError = error
            }
        }
        throw lastError ?? ChannelError.unknownLocalAddress
    }

    /// Binds the main listener with `bindMain(requestedPort)`, then its neighbours with
    /// `bindNeighbours(port)`; returns the main channel, the chosen port and the neighbours. With
    /// `requestedPort` 0 a failed block is retried up to 32 times; a rejected main listener stays
    /// bound until the end, or the kernel could hand out the same port again.
    public static func bindBlock(
        requestedPort: Int,
        bindMain: (Int) async throws -> any Channel,
        bindNeighbours: (Int) async throws -> [any Channel]
    ) async throws -> (main: any Channel, port: Int, neighbours: [any Channel]) {
        let attempts = requestedPort == 0 ? 32 : 1
        var rejected: [any Channel] = []
        defer {
            for channel in rejected { channel.close(promise: nil) }
        }
        var lastError: (any Error)?
        for _ in 0..<attempts {
            let main = try await bindMain(requestedPort)
            guard let port = main.localAddress?.port else {
                rejected.append(main)
                throw ChannelError.unknownLocalAddress
            }
            do {
                return (main, port, try await bindNeighbours(port))
            } catch {
                lastError = error
                rejected.append(main)
            }
        }
        throw lastError ?? ChannelError.unknownLocalAddress
    }
}
