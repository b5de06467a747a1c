import AdapterKit
import Foundation
import GatewayEngine
import GatewayStore
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus

/// The gateway's HTTP side: provider webhooks, health, metrics.
///
/// `POST /webhooks/{channels|couriers}/{code}/{connection-id}`:
/// verify first (a bad signature or token gets 401 and is stored nowhere),
/// then write the raw delivery to the durable inbox and only then answer 200.
/// A database outage answers 503 so the provider retries.
public struct WebhookServer: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        public var maxBodyBytes = 1 << 20
        /// A provider waits for our answer: past this, 503 and let it retry.
        public var deadline: Duration = .seconds(10)
        /// How long a connection's route and credentials are reused: a disconnect or a
        /// rotated webhook token takes effect within this time.
        public var cacheTTL: Duration = .seconds(5)
        /// Inbox batches committing at once. One lets the next batch grow while a commit
        /// waits for its fsync (fewer, larger commits); two overlap a commit with the next
        /// batch's round trip (lower latency when the database is remote).
        public var inboxWritesInFlight = 1

        public init() {}
    }

    let options: Options
    let database: GatewayDatabase
    let registry: AdapterRegistry
    let vault: CredentialVault
    let metricsRegistry: PrometheusCollectorRegistry
    let logger: Logger
    /// Routes and verification material by connection, briefly (docs/adr/0013).
    let targets: ExpiringCache<UUID, WebhookTarget>
    /// Group commit for deliveries without a provider delivery id.
    let batcher: InboxBatcher
    /// This process's inbox processors, when it runs them: stored deliveries go there in memory.
    let handoff: InboxHandoff?
    /// `gateway_webhooks_total` by adapter and result, made once: a registry lookup under a
    /// lock per request showed in profiles, and the adapter label stays within known codes.
    let webhookCounters: [String: [String: Metrics.Counter]]
    /// Adapters by code, made once (verification runs on every request).
    let channels: [String: any ChannelAdapter]
    let couriers: [String: any CourierAdapter]
    /// Lowercased header names whose values are credentials, by adapter code: stored redacted.
    let credentialHeaders: [String: [String]]
    /// The provider's delivery-id header, by adapter code (the manifest is not copied per request).
    let deliveryIDHeaders: [String: String]

    public init(options: Options, database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault,
                metrics: PrometheusCollectorRegistry, logger: Logger, handoff: InboxHandoff? = nil) {
        self.options = options
        self.database = database
        self.registry = registry
        self.vault = vault
        self.metricsRegistry = metrics
        self.logger = logger
        self.targets = ExpiringCache(ttl: options.cacheTTL)
        self.handoff = handoff
        let codes = Array(registry.registrations.keys) + ["unknown"]
        let results = ["accepted", "duplicate", "unauthorized", "not_found", "too_large", "unavailable", "timeout"]
        webhookCounters = Dictionary(uniqueKeysWithValues: codes.map { code in
            (code, Dictionary(uniqueKeysWithValues: results.map { result in
                (result, Metrics.Counter(label: "gateway_webhooks_total", dimensions: [("adapter", code), ("result", result)]))
            }))
        })
        channels = registry.registrations.keys.reduce(into: [:]) { adapters, code in adapters[code] = try? registry.channel(code) }
        couriers = registry.registrations.keys.reduce(into: [:]) { adapters, code in adapters[code] = try? registry.courier(code) }
        credentialHeaders = registry.registrations.keys.reduce(into: [:]) { names, code in
            names[code] = (try? registry.manifest(code)).map(WebhookHeaderRedaction.credentialHeaders(of:))
        }
        deliveryIDHeaders = registry.registrations.keys.reduce(into: [:]) { headers, code in
            headers[code] = (try? registry.manifest(code))?.webhook?.idHeader
        }
        self.batcher = InboxBatcher(database: database, handoff: handoff, maxInFlight: max(1, options.inboxWritesInFlight))
    }

    public func makeApplication(onBound: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let ready = await Self.within(options.deadline) {
                (try? await database.withConnection { connection in
                    try await connection.query("SELECT 1", logger: logger)
                }) != nil
            } ?? false
            return ready ? Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
                         : Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "database unavailable\n")))
        }
        router.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metricsRegistry.emitToBuffer())))
        }
        router.post("webhooks/:kind/:code/:connection") { request, context -> Response in
            await handleWebhook(request: request, context: context)
        }
        return Application(router: router,
                           configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: nil),
                           onServerRunning: { channel in onBound(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    func handleWebhook(request: Request, context: BasicRequestContext) async -> Response {
        let kind = context.parameters.get("kind") ?? ""
        let code = context.parameters.get("code") ?? ""
        let connection = context.parameters.get("connection") ?? ""
        let outcome = await accept(kind: kind, code: code, connection: connection, request: request)
        (webhookCounters[code] ?? webhookCounters["unknown"])?[outcome.label]?.increment()
        return Response(status: outcome.status, body: .init(byteBuffer: ByteBuffer(string: outcome.message + "\n")))
    }

    /// The provider waits for our answer: past the deadline, 503 and let it retry.
    struct DeadlineExceeded: Error {}

    /// `operation` within `options.deadline`, else `DeadlineExceeded` (the operation is cancelled).
    /// Costs a task group and a timer, so the hot path (a cached target, a batched
    /// write) avoids it: the batcher enforces the deadline for all its waiters at once.
    func withinDeadline<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let result = await Self.within(options.deadline) { () -> Result<T, any Error> in
            do { return .success(try await operation()) } catch { return .failure(error) }
        }
        guard let result else { throw DeadlineExceeded() }
        return try result.get()
    }

    /// `operation`'s result, or nil when `deadline` passes first (the operation is cancelled).
    static func within<T: Sendable>(_ deadline: Duration, _ operation: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await operation() }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    struct Outcome: Sendable {
        var status: HTTPResponse.Status
        var label: String
        var message: String
    }

    func accept(kind: String, code: String, connection: String, request: Request) async -> Outcome {
        guard kind == "channels" || kind == "couriers" else { return Outcome(status: .notFound, label: "not_found", message: "unknown webhook kind") }
        guard let connectionID = UUID.parseCanonical(connection[...]) else { return Outcome(status: .notFound, label: "not_found", message: "unknown connection") }
        let body: [UInt8]
        do {
            body = Array(try await request.body.collect(upTo: options.maxBodyBytes).readableBytesView)
        } catch {
            return Outcome(status: .contentTooLarge, label: "too_large", message: "body larger than \(options.maxBodyBytes) bytes")
        }
        let headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        let inbox = WebhookInbox(database: database)
        do {
            // "tracking" stands for any courier: Shiprocket refuses webhook URLs that contain its name.
            var found = targets.get(connectionID)
            if found == nil { found = try await withinDeadline { try await self.target(connectionID) } }
            guard let target = found,
                  target.route.adapterCode == code || (kind == "couriers" && code == "tracking"),
                  target.route.kind == (kind == "channels" ? "channel" : "courier")
            else { return Outcome(status: .notFound, label: "not_found", message: "unknown connection") }
            let route = target.route
            let webhook = WebhookRequest(headers: headers, body: body)
            let code = route.adapterCode
            let verified = route.kind == "channel"
                ? try (channels[code] ?? registry.channel(code)).verifyWebhook(webhook, target.connection)
                : try (couriers[code] ?? registry.courier(code)).verifyWebhook(webhook, target.connection)
            guard verified else {
                logger.notice("webhook rejected: bad signature or token", metadata: ["adapter": "\(code)", "connection": "\(connectionID)"])
                return Outcome(status: .unauthorized, label: "unauthorized", message: "signature or token does not verify")
            }
            let deliveryID = deliveryIDHeaders[code].flatMap { webhook.header($0) }
            // Verified: the credential it carried is not stored (processing and replay do not verify again).
            let storedHeaders = WebhookHeaderRedaction.redact(headers, names: credentialHeaders[code] ?? WebhookHeaderRedaction.alwaysCredentials)
            let stored: Bool
            if let deliveryID {
                stored = try await withinDeadline { [handoff] in
                    try await inbox.store(route: route, headers: storedHeaders, body: body, deliveryID: deliveryID, handoff: handoff)
                }
            } else {
                try await batcher.store(route: route, headers: storedHeaders, body: body, deadline: options.deadline)
                stored = true
            }
            return Outcome(status: .ok, label: stored ? "accepted" : "duplicate", message: stored ? "accepted" : "duplicate delivery")
        } catch is DeadlineExceeded, is InboxBatcher.DeadlineExceeded {
            logger.error("webhook not stored within the deadline", metadata: ["adapter": "\(code)", "deadline": "\(options.deadline)"])
            return Outcome(status: .serviceUnavailable, label: "timeout", message: "temporarily unavailable, retry")
        } catch {
            // Nothing durable happened: the provider must retry.
            logger.error("webhook not stored", metadata: ["adapter": "\(code)", "error": "\(error)"])
            return Outcome(status: .serviceUnavailable, label: "unavailable", message: "temporarily unavailable, retry")
        }
    }

    /// The connection behind a webhook URL, ready to verify with: from the
    /// cache, else looked up (route, tenant, active record, opened secrets).
    func target(_ connectionID: UUID) async throws -> WebhookTarget? {
        if let cached = targets.get(connectionID) { return cached }
        let inbox = WebhookInbox(database: database)
        guard let route = try await inbox.route(connectionID: connectionID),
              let tenant = try await TenantStore(database: database).find(slug: String(route.tenantSchema.dropFirst("tenant_".count)))
        else { return nil }
        let connection: Connection
        if route.kind == "channel" {
            guard let record = try await ChannelStore(database: database, vault: vault).get(tenant: tenant, id: connectionID),
                  record.status != "disconnected" else { return nil }
            connection = Connection(id: record.id, tenant: tenant.slug, adapterCode: route.adapterCode, credentials: record.credentials,
                                    settings: record.settings, webhookSecret: record.webhookSecret)
        } else {
            guard let record = try await CourierStore(database: database, vault: vault).get(tenant: tenant, id: connectionID),
                  record.isActive else { return nil }
            connection = Connection(id: record.id, tenant: tenant.slug, adapterCode: route.adapterCode, credentials: record.credentials,
                                    settings: record.settings)
        }
        let target = WebhookTarget(route: route, connection: connection)
        targets.put(connectionID, target)
        return target
    }
}

/// A webhook URL's connection, ready to verify with.
struct WebhookTarget: Sendable {
    var route: WebhookRoute
    var connection: Connection
}
