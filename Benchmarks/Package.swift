// swift-tools-version: 6.1
import PackageDescription

// Micro-benchmarks of the hot paths (codec, registry, crypto), kept in their own package so the
// root package's build and CI never resolve or compile the benchmark tooling.
// Run with scripts/bench-micro.sh (see README.md here). `relay-load` is a load generator for the relay
// over TCP and WebSocket, which ../shared/bench cannot speak (scripts/bench-ws-relay.sh).
let package = Package(
    name: "rustdesk-server-swift-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The name keeps product references valid whatever the checkout directory is called.
        .package(name: "rustdesk-server-swift", path: ".."),
        // MallocInterposer counts allocations without jemalloc. Naming the traits leaves the other
        // default trait, RuntimeInterposer (ARC metrics, a package the mirror lacks), off.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RustDeskCore", package: "rustdesk-server-swift"),
                .product(name: "RendezvousCore", package: "rustdesk-server-swift"),
                .product(name: "RustDeskNIO", package: "rustdesk-server-swift"),
                .product(name: "RendezvousProtocol", package: "rustdesk-server-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Benchmarks/CodecBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RegistryBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RustDeskCore", package: "rustdesk-server-swift"),
                .product(name: "RendezvousCore", package: "rustdesk-server-swift"),
                .product(name: "RustDeskNIO", package: "rustdesk-server-swift"),
                .product(name: "RendezvousProtocol", package: "rustdesk-server-swift"),
                .product(name: "PeerStore", package: "rustdesk-server-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/RegistryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CryptoBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RustDeskCore", package: "rustdesk-server-swift"),
                .product(name: "RendezvousCore", package: "rustdesk-server-swift"),
                .product(name: "RendezvousProtocol", package: "rustdesk-server-swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Benchmarks/CryptoBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "relay-load",
            dependencies: [
                .product(name: "RendezvousProtocol", package: "rustdesk-server-swift"),
                .product(name: "RustDeskCore", package: "rustdesk-server-swift"),
                .product(name: "RendezvousCore", package: "rustdesk-server-swift"),
                .product(name: "RustDeskNIO", package: "rustdesk-server-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Sources/relay-load"
        ),
        .executableTarget(
            name: "heartbeat-probe",
            dependencies: [
                .product(name: "RendezvousProtocol", package: "rustdesk-server-swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Sources/heartbeat-probe"
        ),
    ],
    swiftLanguageModes: [.v6]
)
