import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging
import PostgresNIO

/// One `ndr_followup` job: asks the courier how the configuration's queued NDR
/// requests went (Delhivery decides re-attempts in batches, later) and records
/// the answer (docs/adr/0017). A refused request puts its case back to `open`,
/// due today, so the ops team acts again instead of waiting for a re-attempt
/// that will never come. The job removes itself when nothing is queued.
public struct NDRFollowUp: Sendable {
    public struct Result: Sendable, Equatable {
        public var checked = 0
        public var accepted = 0
        public var rejected = 0
        public var stillPending = 0
        /// Queued longer than `giveUpAfter` without an answer: no longer asked about.
        public var unconfirmed = 0
        /// Left queued for the next run (none left means the job is done).
        public var remaining = 0
    }

    public let database: GatewayDatabase
    public let registry: AdapterRegistry
    public let vault: CredentialVault
    public var logger: Logger
    /// Requests asked about per run.
    public var batchSize = 100
    /// A request the courier has not decided after this long is marked `unconfirmed`.
    public var giveUpAfter: Duration = .seconds(72 * 3600)
    /// How often the job runs while requests are queued.
    public static let intervalSeconds = 300

    public init(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault, logger: Logger) {
        self.database = database
        self.registry = registry
        self.vault = vault
        self.logger = logger
    }

    /// Schedules the follow-up of `courierID` (inside the transaction that recorded a queued action).
    static func schedule(tenant: Tenant, courierID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await JobStore.upsert(tenantID: tenant.id, schema: tenant.schemaName, kind: .ndrFollowUp, targetID: courierID,
                                  intervalSeconds: intervalSeconds, firstRunAfterSeconds: 60, on: connection, logger: logger)
    }

    struct Queued {
        var actionID: UUID
        var ndrID: UUID
        var requestID: String
        var awb: String
        var performedAt: Date
    }

    public func run(_ lease: JobLease) async throws -> Result {
        let (tenant, courier) = try await TrackingPoll.target(of: lease, database: database, vault: vault)
        var result = Result()
        // Nothing to ask: such a courier never queues (its answers are final when given).
        guard let adapter = try registry.courier(courier.code) as? any CourierNDRFollowingUp else { return result }
        let queued = try await queuedRequests(courierID: courier.id, schema: tenant.schemaName)
        let connection = ShipmentService.connection(courier, tenant: tenant)
        let zone = try await TrackingService(database: database).options(tenantID: tenant.id).timeZone
        var failures: [String] = []
        for request in queued {
            let state: NDRRequestState
            do {
                state = try await adapter.ndrRequestState(connection, requestID: request.requestID, awb: request.awb)
            } catch {
                if OrderSync.isAuthenticationFailure(error) { throw error }
                failures.append("\(request.awb): \(error)")
                result.remaining += 1
                continue
            }
            result.checked += 1
            switch state {
            case .pending where Date().timeIntervalSince(request.performedAt) > Double(giveUpAfter.components.seconds):
                try await record(request, outcome: "unconfirmed", remark: "no decision from the courier", reopen: false, zone: zone, schema: tenant.schemaName)
                result.unconfirmed += 1
            case .pending:
                result.stillPending += 1
                result.remaining += 1
            case .accepted(let remark):
                try await record(request, outcome: "accepted", remark: remark, reopen: false, zone: zone, schema: tenant.schemaName)
                result.accepted += 1
            case .rejected(let remark):
                try await record(request, outcome: "rejected", remark: remark, reopen: true, zone: zone, schema: tenant.schemaName)
                result.rejected += 1
                logger.notice("courier refused a queued NDR request; case reopened",
                              metadata: ["tenant": "\(tenant.slug)", "ndr": "\(request.ndrID)", "awb": "\(request.awb)", "remark": "\(remark)"])
            }
            // A lost lease means another instance has the job now: stop.
            guard try await JobStore(database: database).renew(lease, for: .seconds(120)) else { break }
        }
        if queued.count == batchSize { result.remaining = max(result.remaining, 1) }
        EngineMetrics.ndrFollowUp(accepted: result.accepted, rejected: result.rejected, unconfirmed: result.unconfirmed)
        if !failures.isEmpty, result.checked == 0 {
            throw GatewayError(.upstreamError, "\(courier.name): no NDR request status could be read (\(failures.prefix(3).joined(separator: "; ")))")
        }
        logger.debug("NDR follow-up done", metadata: ["tenant": "\(tenant.slug)", "courier": "\(courier.id)", "checked": "\(result.checked)",
                                                      "accepted": "\(result.accepted)", "rejected": "\(result.rejected)", "pending": "\(result.stillPending)"])
        return result
    }

    func queuedRequests(courierID: UUID, schema: String) async throws -> [Queued] {
        try await database.withTenantTransaction(schema: schema) { db in
            try await db.query("""
                SELECT a.id, a.ndr_id, a.metadata->>'courier_request_id', s.awb_number, a.performed_at
                FROM ndr_actions a JOIN ndr_records n ON n.id = a.ndr_id JOIN shipments s ON s.id = n.shipment_id
                WHERE a.outcome = 'queued' AND s.courier_config_id = \(courierID)
                  AND a.metadata->>'courier_request_id' IS NOT NULL AND s.awb_number IS NOT NULL
                ORDER BY a.performed_at LIMIT \(batchSize)
                """, logger: database.logger).collect().map { row in
                let (action, ndr, request, awb, at) = try row.decode((UUID, UUID, String, String, Date).self)
                return Queued(actionID: action, ndrID: ndr, requestID: request, awb: awb, performedAt: at)
            }
        }
    }

    /// The action's outcome, and the case's view of it when this is still its
    /// latest action; a refusal puts a case that waited for the re-attempt back to `open`.
    func record(_ request: Queued, outcome: String, remark: String?, reopen: Bool, zone: TimeZone, schema: String) async throws {
        let logger = database.logger
        let decision: JSON = ["courier_decision": .string(outcome), "courier_remark": remark.map(JSON.string) ?? .null,
                              "decided_at": .string(DateCoding.format(Date()))]
        let today = CalendarDate(Date(), in: zone).description
        try await database.withTenantTransaction(schema: schema) { db in
            let updated = try await db.query("""
                UPDATE ndr_actions SET outcome = \(outcome), metadata = COALESCE(metadata, '{}') || \(decision.serialized())::jsonb
                WHERE id = \(request.actionID) AND outcome = 'queued' RETURNING id
                """, logger: logger).collect()
            guard !updated.isEmpty else { return }
            try await db.query("""
                UPDATE ndr_records SET updated_at = NOW(),
                    metadata = COALESCE(metadata, '{}') || jsonb_build_object('last_action_outcome', \(outcome)::text,
                        'last_action_remark', \(remark)::text),
                    status = CASE WHEN \(reopen) AND status = 'reattempt_scheduled' THEN 'open' ELSE status END,
                    due_date = CASE WHEN \(reopen) AND status = 'reattempt_scheduled' THEN GREATEST(due_date, \(today)::date) ELSE due_date END
                WHERE id = \(request.ndrID) AND metadata->>'last_action_id' = \(request.actionID.uuidString.lowercased())
                """, logger: logger)
        }
    }
}
