// swift-tools-version: 6.2
import PackageDescription

// Dependencies point one way: executables → Rendezvous/Relay (NIO servers) → RendezvousCore/RelayCore (each
// server's rules and tables, no NIO) and RustDeskNIO/PeerStore → RustDeskCore (shared: wire, crypto, keys,
// configuration) → CSodium. docs/architecture.md draws the map.
// Linux only (no `platforms:` to claim): hbbs's UDP loop and hbbr's direct relay use recvmmsg, epoll and
// eventfd; Sources/RustDeskCore/Platform.swift stops a build elsewhere with a clear error.
// Every dependency is pinned exactly: builds must be reproducible against the local package mirror.
let package = Package(
    name: "rustdesk-server-swift",
    products: [
        .executable(name: "hbbs", targets: ["hbbs"]),
        .executable(name: "hbbr", targets: ["hbbr"]),
        .executable(name: "rustdesk-utils", targets: ["rustdesk-utils"]),
        .executable(name: "rustdesk-entrypoint", targets: ["rustdesk-entrypoint"]),
        // Libraries for the separate Benchmarks/ package; not a stable API.
        .library(name: "RustDeskCore", targets: ["RustDeskCore"]),
        .library(name: "RustDeskNIO", targets: ["RustDeskNIO"]),
        .library(name: "RendezvousCore", targets: ["RendezvousCore"]),
        .library(name: "RelayCore", targets: ["RelayCore"]),
        .library(name: "RendezvousProtocol", targets: ["RendezvousProtocol"]),
        .library(name: "PeerStore", targets: ["PeerStore"]),
        .library(name: "Rendezvous", targets: ["Rendezvous"]),
        .library(name: "Relay", targets: ["Relay"]),
        .library(name: "Observability", targets: ["Observability"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        // Hummingbird's own dependency, pinned; the API's request deadline handler sees its HTTP parts.
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // recvmmsg/sendmmsg for hbbs's UDP loop (Glibc's module map leaves them out).
        .target(name: "CSocketBatch"),
        // Real-time or short-slice scheduling for hbbs's UDP thread (sched_setattr, not in Glibc's module map).
        .target(name: "CScheduling"),
        .target(
            name: "RendezvousProtocol",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // The commit `--version` prints (set by scripts/package.sh through a C macro).
        .target(name: "CBuildInfo"),
        .target(name: "RustDeskCore", dependencies: ["CSodium", "CBuildInfo"]),
        .target(name: "RendezvousCore", dependencies: ["RustDeskCore"]),
        .target(name: "RelayCore", dependencies: ["RustDeskCore"]),
        // The API server's rules and services: accounts, sessions, address books, devices, audit; no NIO,
        // no HTTP, no SQL (the stores are protocols).
        .target(
            name: "APICore", dependencies: ["RustDeskCore", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "RustDeskNIO",
            dependencies: [
                "RustDeskCore",
                "RendezvousProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(
            name: "PeerStore",
            dependencies: [
                "RustDeskCore",
                "RendezvousCore",
                "APICore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Rendezvous",
            dependencies: [
                "CSocketBatch",
                "CScheduling",
                "RustDeskCore",
                "RendezvousCore",
                "RustDeskNIO",
                "PeerStore",
                "Observability",
                "APICore",
                "ClientAPI",
                .product(name: "Prometheus", package: "swift-prometheus"),
                "RendezvousProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Relay",
            dependencies: [
                "CSocketBatch",
                "RustDeskCore",
                "RelayCore",
                "RustDeskNIO",
                "RendezvousProtocol",
                "Observability",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The client API over HTTP (Hummingbird): routes, middleware, the PORT−2 listener and the door
        // `HttpProxyRequest` uses.
        .target(
            name: "ClientAPI",
            dependencies: [
                "APICore",
                "Observability",
                .product(name: "Prometheus", package: "swift-prometheus"),
                "RustDeskCore",
                "RustDeskNIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // /metrics, /healthz and /readyz for both servers (Prometheus text format over a small HTTP listener).
        .target(
            name: "Observability",
            dependencies: [
                "RustDeskNIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "ServerSupport",
            dependencies: [
                "RustDeskCore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "hbbs", dependencies: ["ServerSupport", "Rendezvous", "RustDeskCore"]),
        .executableTarget(name: "hbbr", dependencies: ["ServerSupport", "Relay", "RustDeskCore"]),
        .target(name: "RustDeskUtilsKit", dependencies: ["RustDeskCore", "APICore", "PeerStore"]),
        .executableTarget(name: "rustdesk-utils", dependencies: ["RustDeskUtilsKit"]),
        // The container image's entrypoint: data directory, service user, given keys, health check.
        .target(name: "ContainerEntry", dependencies: ["RustDeskCore"]),
        .executableTarget(name: "rustdesk-entrypoint", dependencies: ["ContainerEntry"]),
        // Helpers shared by the test targets (an inbox with deadlines, clocks, polling, temporary directories, HTTP and
        // WebSocket clients, hex vectors); never shipped.
        .target(
            name: "TestSupport",
            dependencies: [
                "RustDeskCore", "RustDeskNIO", "RendezvousProtocol", "RendezvousCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                // The HTTP test client (and through it PrometheusProcess) connects with NIOPosix.
                .product(name: "NIOPosix", package: "swift-nio"),
                // The WebSocket test client both servers' tests use.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Tests/Support"),
        .testTarget(name: "RustDeskCoreTests", dependencies: ["RustDeskCore", "TestSupport"]),
        .testTarget(
            name: "RendezvousCoreTests",
            dependencies: [
                "RendezvousCore", "RustDeskCore", "RustDeskNIO", "RendezvousProtocol", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(name: "RelayCoreTests", dependencies: ["RelayCore", "RustDeskCore", "TestSupport"]),
        .testTarget(
            name: "APICoreTests",
            dependencies: ["APICore", "RustDeskCore", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "ClientAPITests",
            dependencies: [
                "ClientAPI", "APICore", "PeerStore", "Rendezvous", "RendezvousCore", "RustDeskCore", "TestSupport",
                "RendezvousProtocol", "RustDeskUtilsKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),
        .testTarget(
            name: "RendezvousProtocolTests",
            dependencies: [
                "RendezvousProtocol", "TestSupport", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "RustDeskNIOTests",
            dependencies: [
                "RustDeskNIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PeerStoreTests",
            dependencies: [
                "PeerStore",
                "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ServerSupportTests", dependencies: ["ServerSupport", "TestSupport"]),
        .testTarget(
            name: "ContainerEntryTests",
            dependencies: [
                "ContainerEntry", "RustDeskCore", "Observability", "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(
            name: "RendezvousTests",
            dependencies: [
                "Rendezvous",
                "RendezvousCore",
                "TestSupport",
                "PeerStore",
                "RustDeskNIO",
                "RustDeskCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "RendezvousProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RelayTests",
            dependencies: [
                "Relay",
                "RelayCore",
                "TestSupport",
                "RendezvousProtocol",
                "Observability",
                // Reads hbbr's metrics from the registry (MetricsReading).
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RustDeskUtilsKitTests",
            dependencies: ["RustDeskUtilsKit", "APICore", "PeerStore", "RustDeskCore", "TestSupport"]),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: [
                "Observability",
                "TestSupport",
                "RustDeskNIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
