// swift-tools-version:6.1
import PackageDescription

// Module map and import rules: ../shared/DESIGN.md; deviations in docs/adr/.
let package = Package(
    name: "gateway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gateway", targets: ["gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.25.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // The JSON value type and parser every layer shares (see docs/adr/0001).
        .target(name: "JSONCore"),
        .target(name: "GatewayModel", dependencies: ["JSONCore"]),
        .target(name: "GatewayStore", dependencies: [
            "GatewayModel",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [
            // Numbered SQL files, compiled into the binary: no bundle to lose at deploy time.
            .embedInCode("Migrations/public_0001_seed.sql"),
            .embedInCode("Migrations/public_0002_sample_plans.sql"),
            .embedInCode("Migrations/tenant_0001_seed.sql"),
        ]),
        .executableTarget(name: "gateway", dependencies: [
            "GatewayModel", "GatewayStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Tests: real PostgreSQL through TestSupport, no database mocks.
        .target(name: "TestSupport", dependencies: ["GatewayStore"], path: "Tests/TestSupport"),
        .testTarget(name: "GatewayModelTests", dependencies: ["GatewayModel", "JSONCore"]),
        .testTarget(name: "GatewayStoreTests", dependencies: [
            "GatewayStore", "TestSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ]
)
