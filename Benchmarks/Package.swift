// swift-tools-version: 6.2
import PackageDescription

// Benchmarks live in their own package so the server package keeps no benchmark dependencies.
// `relay-load` is a self-contained load generator for the relay (hbbr) over TCP and WebSocket.
let package = Package(
    name: "rustdesk-server-swift-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "rustdesk-server-swift", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "relay-load",
            dependencies: [
                .product(name: "RendezvousProtocol", package: "rustdesk-server-swift"),
                .product(name: "RustDeskCore", package: "rustdesk-server-swift"),
                .product(name: "RustDeskNIO", package: "rustdesk-server-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Sources/relay-load"
        )
    ],
    swiftLanguageModes: [.v6]
)
