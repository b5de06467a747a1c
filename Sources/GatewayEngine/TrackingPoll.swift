import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import Logging
import PostgresNIO

/// One `tracking_poll` job: the courier configuration's shipments that have
/// an AWB and are not in a terminal state, asked from the courier in batches
/// and ingested like webhooks (NDR detection included).
public struct TrackingPoll: Sendable {
    public struct Result: Sendable, Equatable {
        public var shipments = 0
        public var batches = 0
        public var outcome = TrackingStore.Outcome()
    }

    /// Job targets a courier that is gone or inactive: nothing to poll.
    public struct CourierUnavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public let database: GatewayDatabase
    public let registry: AdapterRegistry
    public let vault: CredentialVault
    public var logger: Logger
    /// AWBs per `track` call. Delhivery takes 50 per request (its adapter
    /// splits larger lists); Shiprocket is one request per AWB either way, so
    /// the batch only bounds the work between lease renewals.
    public var batchSize = 50
    /// Events committed lately: a poll returns each shipment's whole history, and most of it is known.
    public let recent: RecentTrackingEvents?

    public init(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault, logger: Logger,
                recent: RecentTrackingEvents? = nil) {
        self.database = database
        self.registry = registry
        self.vault = vault
        self.logger = logger
        self.recent = recent
    }

    /// Polls the courier configuration the lease targets.
    public func poll(_ lease: JobLease) async throws -> Result {
        let (tenant, courier) = try await Self.target(of: lease, database: database, vault: vault)
        let adapter = try registry.courier(courier.code)
        let connection = ShipmentService.connection(courier, tenant: tenant)
        let jobs = JobStore(database: database)
        let tracking = TrackingService(database: database, recent: recent)
        var result = Result()
        var after: UUID?
        // Keyset pages over the open shipments; new events may close some between pages, which is fine.
        while true {
            let batch = try await openShipments(courierID: courier.id, after: after, schema: tenant.schemaName)
            guard !batch.isEmpty else { break }
            after = batch.last?.id
            let awbs = batch.map(\.awb)
            let wanted = Set(awbs)
            let events = try await adapter.track(connection, awbs: awbs).filter { wanted.contains($0.awb) }
            let outcome = try await tracking.ingest(events, tenantID: tenant.id, schema: tenant.schemaName)
            result.shipments += batch.count
            result.batches += 1
            result.outcome.add(outcome)
            // A lost lease means another instance has the job now: stop.
            guard try await jobs.renew(lease, for: .seconds(120)) else { break }
            if batch.count < batchSize { break }
        }
        logger.debug("tracking poll done", metadata: ["tenant": "\(tenant.slug)", "courier": "\(courier.id)", "shipments": "\(result.shipments)",
                                                      "stored": "\(result.outcome.stored)", "ndr_opened": "\(result.outcome.ndrOpened)"])
        return result
    }

    /// The tenant and active courier configuration a courier job (`tracking_poll`, `ndr_followup`) targets.
    static func target(of lease: JobLease, database: GatewayDatabase, vault: CredentialVault) async throws -> (Tenant, CourierConnectionRecord) {
        guard let tenant = try await TenantStore(database: database).find(slug: String(lease.tenantSchema.dropFirst("tenant_".count))) else {
            throw CourierUnavailable(description: "tenant no longer exists")
        }
        guard let courier = try await CourierStore(database: database, vault: vault).get(tenant: tenant, id: lease.targetID), courier.isActive else {
            throw CourierUnavailable(description: "courier configuration \(lease.targetID) is gone or inactive")
        }
        return (tenant, courier)
    }

    func openShipments(courierID: UUID, after: UUID?, schema: String) async throws -> [(id: UUID, awb: String)] {
        try await database.withTenantTransaction(schema: schema) { db in
            try await db.query("""
                SELECT id, awb_number FROM shipments
                WHERE courier_config_id = \(courierID) AND awb_number IS NOT NULL AND awb_number <> ''
                  AND status NOT IN ('delivered', 'rto_delivered', 'cancelled')
                  AND (\(after)::uuid IS NULL OR id > \(after))
                ORDER BY id LIMIT \(batchSize)
                """, logger: database.logger).collect().map { row in
                let (id, awb) = try row.decode((UUID, String).self)
                return (id, awb)
            }
        }
    }
}
