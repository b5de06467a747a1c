import AdapterCatalog
import AdapterKit
import AsyncHTTPClient
import Foundation
import GatewayEngine
import GatewayHTTP
import GatewayModel
import GatewayStore
import Hummingbird
import JSONCore
import Logging
import MockServers
import NIOCore
import Prometheus

// Tracking webhooks per second into the gateway (verified, stored durably in
// the inbox before the 200, processed concurrently with NDR detection)
// against a Hummingbird endpoint that only answers 200, in the same run;
// then latency at a fixed offered load. See README.md.

struct Arguments {
    var shipments = 400
    var seconds = 10
    var connections = 64
    var rate = 2000
    var processors = 2

    init() {
        var iterator = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next().flatMap(Int.init)
            switch (argument, value) {
            case ("--shipments", let v?): shipments = v
            case ("--seconds", let v?): seconds = v
            case ("--connections", let v?): connections = v
            case ("--rate", let v?): rate = v
            case ("--processors", let v?): processors = v
            default:
                FileHandle.standardError.write(Data("usage: WebhookBenchmark [--shipments N] [--seconds S] [--connections C] [--rate R] [--processors P]\n".utf8))
                exit(2)
            }
        }
    }
}

/// One webhook to send: path and headers of its connection, a realistic body.
struct Delivery: Sendable {
    var path: String
    var headers: [(String, String)]
    var body: [UInt8]
}

enum WebhookBenchmark {
    static func run() async throws {
        let arguments = Arguments()
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let folder = URL(fileURLWithPath: NSTemporaryDirectory() + "gateway-webhook-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Durable (fsync on), like production; only its folder is temporary.
        let server = try EmbeddedPostgres(options: .init(dataDirectory: folder.appendingPathComponent("pg"), maxConnections: 200), logger: logger)
        let settings = try await server.start()
        let database = GatewayDatabase(settings: settings, logger: logger)
        try await Migrator(database: database).migrate()

        let (deliveries, bookedCount) = try await Fixture.prepare(database: database, shipments: arguments.shipments, logger: logger)
        print("booked \(bookedCount) shipments at the Shiprocket and Delhivery mocks; \(deliveries.count) distinct tracking webhooks (cycled)")

        var registry = try AdapterCatalog.registry()
        registry.logger = logger
        let vault = Fixture.vault
        var options = WebhookServer.Options()
        options.port = 0
        let gateway = WebhookServer(options: options, database: database, registry: registry, vault: vault,
                                    metrics: PrometheusCollectorRegistry(), logger: logger)
        let gatewayPort = try await Servers.start(gateway.makeApplication)
        let minimalPort = try await Servers.start(Servers.minimal)

        // The inbox processors run throughout, as in production.
        let processor = InboxProcessor(database: database, registry: registry, logger: logger)
        let processing = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<arguments.processors { group.addTask { await processor.run(pollInterval: .milliseconds(20)) } }
            }
        }

        let load = LoadGenerator(connections: arguments.connections)
        _ = try await load.closedLoop(base: "http://127.0.0.1:\(minimalPort)", deliveries: deliveries, seconds: 2)   // warm-up
        let minimal = try await load.closedLoop(base: "http://127.0.0.1:\(minimalPort)", deliveries: deliveries, seconds: arguments.seconds)
        print(String(format: "minimal endpoint: %.0f requests/s (%d in %.1f s, %d non-200)", minimal.rate, minimal.count, minimal.seconds, minimal.failures))
        _ = try await load.closedLoop(base: "http://127.0.0.1:\(gatewayPort)", deliveries: deliveries, seconds: 2)
        let ingest = try await load.closedLoop(base: "http://127.0.0.1:\(gatewayPort)", deliveries: deliveries, seconds: arguments.seconds)
        print(String(format: "gateway:          %.0f webhooks/s (%d in %.1f s, %d non-200), p50 %.1f ms, p99 %.1f ms at %d connections",
                     ingest.rate, ingest.count, ingest.seconds, ingest.failures, ingest.p50, ingest.p99, arguments.connections))
        print(String(format: "ratio gateway/minimal: %.2f (target >= 0.50)", ingest.rate / max(minimal.rate, 1)))

        // The max-rate phase leaves a backlog; the fixed-rate phase starts from steady state.
        try await Fixture.drain(database)
        let fixed = try await load.openLoop(base: "http://127.0.0.1:\(gatewayPort)", deliveries: deliveries, rate: arguments.rate,
                                            seconds: arguments.seconds)
        print(String(format: "gateway at %d/s offered: %.0f/s answered, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d non-200 (target p99 < 50 ms)",
                     arguments.rate, fixed.rate, fixed.p50, fixed.p99, fixed.max, fixed.failures))

        // Drain what is left, then show the processing side.
        try await Fixture.drain(database)
        processing.cancel()
        _ = await processing.value
        let stats = try await Fixture.stats(database)
        print("inbox: \(stats.inbox) stored, \(stats.processed) processed, \(stats.failed) with errors; " +
              "tracking rows \(stats.tracking), NDR cases \(stats.ndr), shipments delivered \(stats.delivered), rto_delivered \(stats.rto)")
        try await load.shutdown()
        await database.shutdown()
        try await server.stop()
    }
}

try await WebhookBenchmark.run()
