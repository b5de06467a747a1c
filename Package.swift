// swift-tools-version:6.1
import PackageDescription

// Module map and import rules: ../shared/DESIGN.md; deviations in docs/adr/.
let adapterTargets = [
    "ShopifyAdapter", "AmazonAdapter", "FlipkartAdapter", "MeeshoAdapter", "WooCommerceAdapter",
    "ShiprocketAdapter", "DelhiveryAdapter", "BlueDartAdapter", "DTDCAdapter", "CustomCourierAdapter",
]

/// An adapter target: its code and manifest.json (compiled in) under adapters/<folder>.
func adapter(_ name: String, folder: String, extraDependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: ["AdapterKit", "GatewayModel", "JSONCore"] + extraDependencies, path: "adapters/\(folder)",
            resources: [.embedInCode("manifest.json")])
}

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
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.25.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // The JSON value type and parser every layer shares (see docs/adr/0001).
        .target(name: "JSONCore"),
        .target(name: "GatewayModel", dependencies: ["JSONCore"]),
        .target(name: "JSONSchema", dependencies: ["JSONCore"]),
        .executableTarget(name: "CredentialValidationBenchmark", dependencies: ["JSONSchema", "JSONCore"],
                          path: "benchmarks/credential-validation", exclude: ["bench.py", "run.sh", "cases", "README.md"]),
        .executableTarget(name: "NormalizationBenchmark", dependencies: ["ShopifyAdapter", "AmazonAdapter", "AdapterKit", "GatewayModel", "JSONCore"],
                          path: "benchmarks/normalization", exclude: ["run.sh", "README.md"]),
        .target(name: "AdapterKit", dependencies: [
            "GatewayModel", "JSONCore", "JSONSchema",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
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
            .embedInCode("Migrations/public_0003_gateway_jobs.sql"),
            .embedInCode("Migrations/public_0004_gateway_webhooks.sql"),
            .embedInCode("Migrations/public_0005_inbox_hot_path.sql"),
            .embedInCode("Migrations/public_0006_webhook_queue.sql"),
            .embedInCode("Migrations/public_0007_inbox_redact_credentials.sql"),
            .embedInCode("Migrations/tenant_0001_seed.sql"),
            .embedInCode("Migrations/tenant_0002_gateway_sync.sql"),
            .embedInCode("Migrations/tenant_0003_gateway_tracking.sql"),
        ]),
        // One target per provider: adapters/<code>/ with its manifest.json.
        adapter("ShopifyAdapter", folder: "shopify", extraDependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        adapter("AmazonAdapter", folder: "amazon"),
        adapter("FlipkartAdapter", folder: "flipkart"),
        adapter("MeeshoAdapter", folder: "meesho"),
        adapter("WooCommerceAdapter", folder: "woocommerce"),
        adapter("ShiprocketAdapter", folder: "shiprocket"),
        adapter("DelhiveryAdapter", folder: "delhivery"),
        adapter("BlueDartAdapter", folder: "bluedart"),
        adapter("DTDCAdapter", folder: "dtdc"),
        adapter("CustomCourierAdapter", folder: "custom"),
        .target(name: "AdapterCatalog", dependencies: ["AdapterKit"] + adapterTargets.map { .target(name: $0) }),
        .target(name: "GatewayEngine", dependencies: [
            "AdapterKit", "GatewayStore",
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "GatewayHTTP", dependencies: [
            "GatewayEngine", "AdapterKit", "GatewayStore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // JSON-RPC 2.0 over a Unix socket: Transport/ (NIO, framing, spec rules), Methods/ (the engine's methods).
        .target(name: "GatewayRPC", dependencies: [
            "GatewayEngine", "AdapterKit", "GatewayStore", "GatewayModel", "JSONCore", "JSONSchema",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], resources: [.embedInCode("openrpc.json")]),
        .executableTarget(name: "gateway", dependencies: [
            "GatewayModel", "GatewayStore", "GatewayEngine", "GatewayHTTP", "GatewayRPC", "AdapterKit", "AdapterCatalog",
            "JSONCore", "JSONSchema", "MockServers",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "RPCBenchmark", dependencies: [
            "GatewayRPC", "GatewayEngine", "GatewayStore", "AdapterCatalog", "JSONCore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], path: "benchmarks/rpc", exclude: ["run.sh", "README.md"]),
        .executableTarget(name: "WebhookBenchmark", dependencies: [
            "GatewayHTTP", "GatewayEngine", "GatewayStore", "AdapterCatalog", "AdapterKit", "MockServers", "JSONCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "benchmarks/webhook-ingest", exclude: ["run.sh", "README.md"]),

        // Tests: real PostgreSQL through TestSupport, no database mocks.
        .target(name: "TestSupport", dependencies: ["GatewayStore"], path: "Tests/TestSupport"),
        .executableTarget(name: "OrderPullBenchmark", dependencies: [
            "GatewayEngine", "GatewayStore", "AdapterCatalog", "AdapterKit", "MockServers", "JSONCore", "ShopifyAdapter", "GatewayModel",
            .product(name: "Logging", package: "swift-log"),
        ], path: "benchmarks/order-pull", exclude: ["run.sh", "README.md"]),
        .testTarget(name: "GatewayModelTests", dependencies: ["GatewayModel", "JSONCore"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "JSONCore"]),
        .testTarget(name: "GatewayCLITests", dependencies: ["gateway", "JSONCore", "TestSupport", "GatewayStore"]),
        .testTarget(name: "ChannelAdapterTests", dependencies: ["ShopifyAdapter", "AmazonAdapter", "AdapterKit", "TestSupport", "MockServers"]),
        .testTarget(name: "CourierAdapterTests", dependencies: ["ShiprocketAdapter", "DelhiveryAdapter", "AdapterKit", "GatewayModel", "JSONCore",
                                                            "TestSupport", "MockServers"]),

        // Stand-ins for the providers' real APIs (tests, demo, benchmarks). Hummingbird only:
        // never the adapters' code.
        .target(name: "MockServers", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "mock-servers/Sources/MockServers"),
        .executableTarget(name: "mock-servers", dependencies: [
            "MockServers",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "mock-servers/Sources/mock-servers"),
        .testTarget(name: "MockServersTests", dependencies: ["MockServers"], path: "mock-servers/Tests/MockServersTests"),
        .testTarget(name: "GatewayEngineTests", dependencies: [
            "GatewayEngine", "AdapterCatalog", "AdapterKit", "MockServers", "TestSupport", "JSONCore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "GatewayHTTPTests", dependencies: [
            "GatewayHTTP", "GatewayEngine", "AdapterCatalog", "MockServers", "TestSupport", "JSONCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "GatewayRPCTests", dependencies: [
            "GatewayRPC", "GatewayEngine", "GatewayStore", "AdapterCatalog", "AdapterKit", "MockServers", "TestSupport", "JSONCore", "JSONSchema",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "AdapterKitTests", dependencies: ["AdapterKit", "AdapterCatalog", "GatewayEngine", "TestSupport"]),
        .testTarget(name: "GatewayStoreTests", dependencies: [
            "GatewayStore", "TestSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ]
)
