import AdapterKit
import Foundation
import GatewayEngine
import GatewayHTTP
import GatewayRPC
import GatewayStore
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// Settings of one long-lived gateway process (`serve`, and the demo's gateway).
struct ServeSettings: Sendable {
    var rpcSocket: String
    var socketMode: UInt32 = 0o660
    var allowedUIDs: Set<UInt32>?
    var httpHost = "127.0.0.1"
    var httpPort = 8080
    var publicURL: String?
    var scheduler = true
    var inbox = true
    /// Days processed webhook deliveries stay in the inbox for replay; nil keeps them.
    var inboxRetentionDays: Int? = 7
}

/// Everything `serve` runs, under one ServiceLifecycle group: the webhook
/// HTTP server, the RPC socket, the scheduler, the inbox processor and the
/// health probe. SIGTERM/SIGINT stop the listeners first (reverse order),
/// then the workers, which release their leases.
struct GatewayProcess: Sendable {
    let settings: ServeSettings
    let database: GatewayDatabase
    let registry: AdapterRegistry
    let vault: CredentialVault
    let logger: Logger

    /// Called once both listeners are bound.
    struct Endpoints: Sendable {
        var rpcSocket: String
        var httpPort: Int
    }

    func run(signals: [UnixSignal] = [.sigterm, .sigint], onReady: @escaping @Sendable (Endpoints) async -> Void = { _ in }) async throws {
        try await makeGroup(signals: signals, onReady: onReady).run()
    }

    /// The service group, for callers that trigger graceful shutdown themselves (the demo).
    func makeGroup(signals: [UnixSignal] = [.sigterm, .sigint],
                   onReady: @escaping @Sendable (Endpoints) async -> Void = { _ in }) async throws -> ServiceGroup {
        let metrics = PrometheusMetrics.shared
        let health = HealthMonitor(database: database)
        await health.probe()
        let contract = try RPCContract.load()
        let services = GatewayServices(database: database, registry: registry, vault: vault, health: health, logger: logger,
                                       publicBaseURL: settings.publicURL)
        var rpcConfiguration = RPCServer.Configuration(socketPath: settings.rpcSocket)
        rpcConfiguration.mode = settings.socketMode
        if let uids = settings.allowedUIDs { rpcConfiguration.allowedUIDs = uids }
        let rpc = RPCServer(configuration: rpcConfiguration, methods: GatewayMethods.table(services, contract: contract),
                            logger: logger.labeled("gateway.rpc"))

        var httpOptions = WebhookServer.Options()
        httpOptions.host = settings.httpHost
        httpOptions.port = settings.httpPort
        let bound = ReadyLatch()
        // Deliveries this process stores go to its own inbox processor in memory (docs/adr/0016).
        let handoff = settings.inbox ? InboxHandoff() : nil
        // Tracking events committed lately, shared by webhook processing and polls: copies skip the database.
        let recentEvents = RecentTrackingEvents()
        let http = WebhookServer(options: httpOptions, database: database, registry: registry, vault: vault, metrics: metrics,
                                 logger: logger.labeled("gateway.http"), handoff: handoff)
            .makeApplication { port in bound.httpBound(port) }

        var workers: [any Service] = [LoopService(name: "health") { await health.run() }]
        if settings.inbox {
            var inbox = InboxProcessor(database: database, registry: registry, logger: logger.labeled("gateway.inbox"), handoff: handoff,
                                       recent: recentEvents)
            inbox.retention = settings.inboxRetentionDays.map { .seconds($0 * 86_400) }
            let processor = inbox
            workers.append(LoopService(name: "inbox") { await processor.run() })
        }
        if settings.scheduler {
            let sync = OrderSync(database: database, registry: registry, vault: vault, logger: logger.labeled("gateway.scheduler"))
            let tracking = TrackingPoll(database: database, registry: registry, vault: vault, logger: logger.labeled("gateway.tracking"),
                                        recent: recentEvents)
            let followUp = NDRFollowUp(database: database, registry: registry, vault: vault, logger: logger.labeled("gateway.ndr"))
            let scheduler = Scheduler(options: Scheduler.Options(), sync: sync, tracking: tracking, followUp: followUp)
            workers.append(GracefulService(run: { await scheduler.run() }, stop: { await scheduler.stop() }))
        }
        let readiness = LoopService(name: "readiness") {
            guard let port = await bound.waitForHTTP() else { return }
            while rpc.boundPath == nil, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
            guard let path = rpc.boundPath else { return }
            logger.notice("gateway ready", metadata: ["rpc_socket": "\(path)", "http_port": "\(port)"])
            await onReady(Endpoints(rpcSocket: path, httpPort: port))
            // Stays up so the group does not read its return as the end of the process.
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
        var configuration = ServiceGroupConfiguration(
            services: (workers + [rpc, http, readiness]).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: signals,
            logger: logger.labeled("gateway.lifecycle"))
        // In-flight work gets this long after SIGTERM, then it is cancelled (pages roll back, leases go back).
        configuration.maximumGracefulShutdownDuration = .seconds(30)
        return ServiceGroup(configuration: configuration)
    }
}

/// A loop that ends on cancellation, as a Service that graceful shutdown cancels.
struct LoopService: Service {
    let name: String
    let body: @Sendable () async -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await body()
        }
    }
}

/// A worker that finishes what it is doing on graceful shutdown (stop), and is
/// cancelled only if that takes longer than the group's shutdown budget.
struct GracefulService: Service {
    let run: @Sendable () async -> Void
    let stop: @Sendable () async -> Void

    func run() async throws {
        await withGracefulShutdownHandler {
            await run()
        } onGracefulShutdown: {
            Task { await stop() }
        }
    }
}

/// The HTTP server reports its port through a callback; the readiness step waits on it.
final class ReadyLatch: Sendable {
    private let port = Mutex<Int?>(nil)

    func httpBound(_ value: Int) { port.withLock { $0 = value } }

    func waitForHTTP() async -> Int? {
        while !Task.isCancelled {
            if let value = port.withLock({ $0 }) { return value }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

import Synchronization

/// One Prometheus registry per process, bootstrapped into swift-metrics once.
enum PrometheusMetrics {
    static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

extension Logger {
    func labeled(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}
