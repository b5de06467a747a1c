import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import Logging

/// Tracking events into a tenant: NDR cases only with `ndr_management`,
/// due dates in the tenant's time zone (`tenants.settings.timezone`).
public struct TrackingService: Sendable {
    public let database: GatewayDatabase
    /// Events this process saw committed, so copies skip the database.
    public let recent: RecentTrackingEvents?

    public init(database: GatewayDatabase, recent: RecentTrackingEvents? = nil) {
        self.database = database
        self.recent = recent
    }

    /// The tenant's NDR entitlement and time zone.
    public func options(tenantID: UUID) async throws -> TrackingStore.Options {
        let entitlements = try await FeatureGate(database: database).entitlements(tenantID: tenantID)
        let zoneName = try await database.withConnection { connection in
            try await connection.query("SELECT settings->>'timezone' FROM public.tenants WHERE id = \(tenantID)", logger: database.logger)
                .collect().first?.decode(String?.self)
        }
        let zone = zoneName.flatMap { TimeZone(identifier: $0) } ?? TimeZone(identifier: "Asia/Kolkata") ?? .current
        return .init(ndrEnabled: entitlements.isEnabled("ndr_management"), timeZone: zone)
    }

    public func ingest(_ events: [TrackingEvent], tenantID: UUID, schema: String) async throws -> TrackingStore.Outcome {
        guard !events.isEmpty else { return TrackingStore.Outcome() }
        let outcome = try await TrackingStore(database: database).ingest(events, schema: schema, options: try await options(tenantID: tenantID),
                                                                         recent: recent)
        EngineMetrics.trackingIngested(stored: outcome.stored, duplicates: outcome.duplicates, ndrOpened: outcome.ndrOpened,
                                       ndrReopened: outcome.ndrReopened)
        return outcome
    }
}

/// Works the durable webhook inbox: each stored delivery is parsed by its
/// adapter and applied (orders upserted, tracking ingested). Idempotent: a
/// delivery processed twice changes nothing the second time.
public struct InboxProcessor: Sendable {
    public let database: GatewayDatabase
    public let registry: AdapterRegistry
    public var logger: Logger
    /// Deliveries this process stored, handed over in memory (docs/adr/0016); the table is still polled for the rest.
    public let handoff: InboxHandoff?
    /// Deliveries per claim or handoff take (one transaction per tenant among them).
    public var batchLimit = 256
    /// Under load, how long a handoff take waits for a fuller batch: fewer, larger
    /// transactions, for at most this much more processing delay (the sender's 200 does not wait for it).
    public var coalesce: Duration = .milliseconds(10)
    /// Tenants' NDR entitlement and time zone, briefly: a plan or feature change
    /// reaches webhook processing within `ttl` (two queries per batch otherwise).
    let tenantOptions: ExpiringCache<UUID, TrackingStore.Options>
    /// Tracking events committed lately (shared with the tracking poll in `serve`).
    public let recent: RecentTrackingEvents
    /// Processed deliveries are kept this long after they arrived, for replay, then purged (nil keeps them forever).
    public var retention: Duration? = .seconds(7 * 86_400)
    /// How often the purge runs.
    public var purgeInterval: Duration = .seconds(3600)

    public init(database: GatewayDatabase, registry: AdapterRegistry, logger: Logger, handoff: InboxHandoff? = nil,
                recent: RecentTrackingEvents = RecentTrackingEvents(), optionsTTL: Duration = .seconds(5)) {
        self.database = database
        self.registry = registry
        self.logger = logger
        self.handoff = handoff
        self.recent = recent
        self.tenantOptions = ExpiringCache(ttl: optionsTTL)
    }

    /// Claims what is due in the table now and processes it; returns how many items were handled.
    @discardableResult
    public func processDue(limit: Int? = nil) async throws -> Int {
        let items = try await WebhookInbox(database: database).claim(limit: limit ?? batchLimit)
        await process(items)
        return items.count
    }

    /// Processes claimed or handed-over items: tracking in batches, the rest one by one;
    /// a failure is recorded on its item for a retry with backoff.
    public func process(_ items: [InboxItem]) async {
        guard !items.isEmpty else { return }
        let inbox = WebhookInbox(database: database)
        let rest = await processTrackingBatches(items, inbox: inbox)
        for item in rest {
            do {
                try await process(item)
                try await inbox.markProcessed(item.id)
            } catch {
                logger.warning("webhook processing failed", metadata: ["inbox_id": "\(item.id)", "adapter": "\(item.route.adapterCode)", "error": "\(error)"])
                try? await inbox.markFailed(item, error: "\(error)")
            }
        }
    }

    /// Until cancelled: handed-over deliveries as they come, and the table every
    /// `pollInterval` (at once again while it returns full batches) for retries,
    /// replays and what other processes or a crash left behind.
    public func run(pollInterval: Duration = .milliseconds(200)) async {
        let clock = ContinuousClock()
        var nextPoll = clock.now
        var nextPurge = clock.now + .seconds(60)
        var nextGauge = clock.now
        while !Task.isCancelled {
            if let retention, clock.now >= nextPurge {
                nextPurge = clock.now + purgeInterval
                await purge(retention: retention)
            }
            if clock.now >= nextGauge {
                nextGauge = clock.now + .seconds(15)
                if let depth = try? await WebhookInbox(database: database).queueDepth() { EngineMetrics.queueDepth(depth) }
            }
            var handled = 0
            if let handoff {
                if (1..<batchLimit).contains(handoff.count), coalesce > .zero { try? await Task.sleep(for: coalesce) }
                let items = handoff.take(limit: batchLimit)
                await process(items)
                handled += items.count
            }
            if handoff == nil || clock.now >= nextPoll {
                do {
                    let claimed = try await processDue()
                    handled += claimed
                    nextPoll = claimed >= batchLimit ? clock.now : clock.now + pollInterval
                } catch is CancellationError {
                    break
                } catch {
                    logger.error("inbox poll failed", metadata: ["error": "\(error)"])
                    nextPoll = clock.now + pollInterval
                }
            }
            guard handled == 0 else { continue }
            if let handoff {
                await handoff.wait(timeout: max(.milliseconds(1), nextPoll - clock.now))
            } else {
                try? await Task.sleep(for: pollInterval)
            }
        }
    }

    /// Deletes processed deliveries received more than `retention` ago; a failure is logged and tried again next interval.
    @discardableResult
    public func purge(retention: Duration) async -> Int {
        let cutoff = Date().addingTimeInterval(-Double(retention.components.seconds))
        do {
            let purged = try await WebhookInbox(database: database).purge(receivedBefore: cutoff)
            EngineMetrics.inboxPurged(purged)
            if purged > 0 { logger.info("webhook inbox purged", metadata: ["deleted": "\(purged)", "received_before": "\(DateCoding.format(cutoff))"]) }
            return purged
        } catch {
            logger.warning("webhook inbox purge failed", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// Courier deliveries of one tenant go in one transaction that also marks
    /// them processed (a few round trips for the lot instead of five per
    /// delivery). Returns the items left for one-by-one processing: channel
    /// deliveries, unparseable ones, and any group whose batch failed.
    func processTrackingBatches(_ items: [InboxItem], inbox: WebhookInbox) async -> [InboxItem] {
        var rest: [InboxItem] = []
        var groups: [String: (tenantID: UUID, items: [InboxItem], events: [TrackingEvent])] = [:]
        var adapters: [String: any CourierAdapter] = [:]
        for item in items {
            let code = item.route.adapterCode
            if item.route.kind == "courier", adapters[code] == nil { adapters[code] = try? registry.courier(code) }
            guard item.route.kind == "courier",
                  let events = try? adapters[code]?.parseWebhook(WebhookRequest(headers: item.headers, body: item.body))
            else {
                rest.append(item)
                continue
            }
            groups[item.route.tenantSchema, default: (item.route.tenantID, [], [])].items.append(item)
            groups[item.route.tenantSchema]?.events += events
        }
        let tracking = TrackingService(database: database, recent: recent)
        for (schema, group) in groups {
            let ids = group.items.map(\.id)
            do {
                let options: TrackingStore.Options
                if let cached = tenantOptions.get(group.tenantID) {
                    options = cached
                } else {
                    options = try await tracking.options(tenantID: group.tenantID)
                    tenantOptions.put(group.tenantID, options)
                }
                let outcome = try await TrackingStore(database: database).ingestBatch(group.events, schema: schema, options: options, recent: recent) { connection in
                    try await WebhookInbox.markProcessed(ids, on: connection, logger: logger)
                    // No fsync wait: the deliveries are already durable in the inbox, and the processed
                    // marks commit with the work, so a crash that loses this commit only means the
                    // deliveries are processed again (idempotently). Keeps fsyncs for the webhook answers.
                    try await connection.query("SELECT set_config('synchronous_commit', 'off', true)", logger: logger)
                }
                EngineMetrics.trackingIngested(stored: outcome.stored, duplicates: outcome.duplicates, ndrOpened: outcome.ndrOpened,
                                               ndrReopened: outcome.ndrReopened)
            } catch {
                logger.notice("tracking batch failed; processing its deliveries one by one", metadata: ["schema": "\(schema)", "error": "\(error)"])
                rest += group.items
            }
        }
        return rest
    }

    func process(_ item: InboxItem) async throws {
        let request = WebhookRequest(headers: item.headers, body: item.body)
        switch item.route.kind {
        case "channel":
            let events = try registry.channel(item.route.adapterCode).parseWebhook(request)
            let orders = events.compactMap { event -> UnifiedOrder? in
                if case .orderUpserted(let order) = event { return order }
                return nil
            }
            guard !orders.isEmpty else { return }
            try await database.withTenantTransaction(schema: item.route.tenantSchema) { connection in
                _ = try await OrderStore().write(orders, channelID: item.route.connectionID, cursor: nil, on: connection, logger: logger)
            }
        case "courier":
            let events = try registry.courier(item.route.adapterCode).parseWebhook(request)
            _ = try await TrackingService(database: database, recent: recent).ingest(events, tenantID: item.route.tenantID,
                                                                                     schema: item.route.tenantSchema)
        default:
            throw GatewayError(.invalidRequest, "unknown webhook kind \(item.route.kind)")
        }
    }
}
