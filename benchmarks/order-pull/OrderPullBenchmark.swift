// Orders/s pulled from the mock Shopify into PostgreSQL, end to end:
// HTTP pages from the mock, normalization, set-based upserts with history
// and items, cursor commits. See README.md.
import AdapterCatalog
import AdapterKit
import Foundation
import GatewayEngine
import GatewayStore
import JSONCore
import Logging
import MockServers

struct Arguments {
    var orders = 100_000
    var rounds = 3
    var dataDirectory: String?
    /// One extra pull timed step by step (see Breakdown.swift).
    var breakdown = false
    /// With `--breakdown`: page 10's plans and timings (auto_explain).
    var explain = false

    init() {
        var iterator = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            switch flag {
            case "--orders": orders = iterator.next().flatMap(Int.init) ?? orders
            case "--rounds": rounds = iterator.next().flatMap(Int.init) ?? rounds
            case "--data-dir": dataDirectory = iterator.next()
            case "--breakdown": breakdown = true
            case "--explain": explain = true
            default:
                FileHandle.standardError.write(Data("usage: OrderPullBenchmark [--orders N] [--rounds R] [--data-dir DIR] [--breakdown [--explain]]\n".utf8))
                exit(2)
            }
        }
    }
}

@main
enum OrderPullBenchmark {
    static func main() async throws {
        let arguments = Arguments()
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let folder = URL(fileURLWithPath: arguments.dataDirectory ?? NSTemporaryDirectory() + "gateway-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A durable server (fsync on), like production; only its folder is temporary.
        let server = try EmbeddedPostgres(options: .init(dataDirectory: folder.appendingPathComponent("pg")), logger: logger)
        let settings = try await server.start()
        let database = GatewayDatabase(settings: settings, logger: logger)
        defer { try? FileManager.default.removeItem(at: folder) }

        var mockOptions = ShopifyMockOptions()
        mockOptions.orderCount = arguments.orders
        mockOptions.rateLimit = .disabled
        // Shopify renders its JSON on its own machines: the stand-in renders each order once, before timing.
        mockOptions.cacheRenderedOrders = true
        let mock = try await ShopifyMock.start(mockOptions)
        mock.prerender()

        try await Migrator(database: database).migrate()
        var registry = try AdapterCatalog.registry()
        registry.baseURLOverrides = ["shopify": mock.baseURL]
        // The provider's rate limit is not what is measured: the mock has none, the client follows it.
        var configuration = HTTPTransport.Configuration()
        configuration.clientRateLimits = false
        let transport = HTTPTransport(configuration: configuration)
        registry.transport = transport
        let vault = CredentialVault(current: MasterKey.generate())
        _ = try await TenantStore(database: database).create(slug: "bench", name: "Bench", planCode: "enterprise")
        let tenant = try await TenantStore(database: database).require(slug: "bench")
        let service = ChannelService(database: database, registry: registry, vault: vault)
        let sync = OrderSync(database: database, registry: registry, vault: vault, logger: logger)
        let credentials: JSON = ["shop_domain": .string(mock.options.shopDomain), "access_token": .string(mock.options.accessToken), "api_version": "2025-01"]

        print("orders: \(arguments.orders), rounds: \(arguments.rounds) (each round pulls every order into a fresh connection)")
        var rates: [Double] = []
        for round in 1...max(arguments.rounds, 1) where round <= arguments.rounds {
            let channel = try await service.connect(tenantSlug: tenant.slug, code: "shopify", name: "bench \(round)", credentials: credentials)
            let start = ContinuousClock.now
            let progress = try await sync.pull(tenant: tenant, channelID: channel.id)
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            guard progress.inserted == arguments.orders, progress.complete else {
                print("round \(round): pulled \(progress.inserted) of \(arguments.orders): FAILED")
                exit(1)
            }
            let rate = Double(arguments.orders) / seconds
            rates.append(rate)
            print(String(format: "round %d: %d orders in %d pages, %.2f s, %.0f orders/s", round, progress.inserted, progress.pages, seconds, rate))
        }
        if arguments.breakdown {
            let channel = try await service.connect(tenantSlug: tenant.slug, code: "shopify", name: "bench breakdown", credentials: credentials)
            try await Breakdown.run(mock: mock, transport: transport, database: database, tenant: tenant, channelID: channel.id,
                                      explainLog: arguments.explain ? folder.appendingPathComponent("pg/server.log") : nil, logger: logger)
        }
        let sorted = rates.sorted()
        if !sorted.isEmpty { print(String(format: "median: %.0f orders/s (min %.0f, max %.0f); target 5000 orders/s", sorted[sorted.count / 2], sorted.first ?? 0, sorted.last ?? 0)) }
        await mock.stop()
        try? await transport.shutdown()
        await database.shutdown()
        await server.stop()
    }
}
