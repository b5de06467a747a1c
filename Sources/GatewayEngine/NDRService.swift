import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging
import PostgresNIO

/// The NDR inbox: listing cases and acting on them through the courier
/// (re-attempt, address or phone change, return to origin).
public struct NDRService: Sendable {
    public let database: GatewayDatabase
    public let registry: AdapterRegistry
    public let vault: CredentialVault

    public init(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault) {
        self.database = database
        self.registry = registry
        self.vault = vault
    }

    public struct Case: Sendable, Codable, Equatable {
        public var id: UUID
        public var ndrNumber: String
        public var shipmentID: UUID
        public var orderID: UUID
        public var awb: String?
        public var courierCode: String
        public var status: String
        public var reasonCode: String
        public var reasonDescription: String?
        public var attemptCount: Int
        public var priority: String
        public var resolution: String?
        public var customerName: String?
        public var customerPhone: String?
        /// ISO 8601 time of the first failed attempt; due date as YYYY-MM-DD.
        public var ndrDate: String
        public var dueDate: String?
        /// The last action taken through the gateway (`reattempt`, `change_address`, ...), if any.
        public var lastAction: String?
        /// How the courier took it: `accepted`, `queued` (not decided yet), `rejected`, `unconfirmed`.
        public var lastActionOutcome: String?

        enum CodingKeys: String, CodingKey {
            case id, awb, status, priority, resolution
            case ndrNumber = "ndr_number"
            case shipmentID = "shipment_id"
            case orderID = "order_id"
            case courierCode = "courier_code"
            case reasonCode = "reason_code"
            case reasonDescription = "reason_description"
            case attemptCount = "attempt_count"
            case customerName = "customer_name"
            case customerPhone = "customer_phone"
            case ndrDate = "ndr_date"
            case dueDate = "due_date"
            case lastAction = "last_action"
            case lastActionOutcome = "last_action_outcome"
        }
    }

    /// Cases newest first, optionally of one status (open, in_progress, reattempt_scheduled, resolved, rto).
    /// - Throws: `GatewayError` tenant_not_found, feature_disabled (`ndr_management`), invalid_request.
    public func list(tenantSlug: String, status: String? = nil, limit: Int = 100) async throws -> [Case] {
        if let status, NDRStatus(rawValue: status) == nil {
            throw GatewayError(.invalidRequest, "unknown NDR status '\(status)' (open, in_progress, reattempt_scheduled, resolved, rto)")
        }
        guard (1...1000).contains(limit) else { throw GatewayError(.invalidRequest, "limit must be 1 to 1000") }
        let tenant = try await requireNDRFeature(tenantSlug)
        let logger = database.logger
        return try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            var cases: [Case] = []
            for try await r in try await db.query("""
                SELECT n.id, n.ndr_number, n.shipment_id, n.order_id, s.awb_number, c.courier_type_code, n.status, n.reason_code,
                       n.reason_description, n.attempt_count, n.priority, n.resolution, n.customer_name, n.customer_phone,
                       n.ndr_date, n.due_date::text, n.metadata->>'last_action', n.metadata->>'last_action_outcome'
                FROM ndr_records n JOIN shipments s ON s.id = n.shipment_id JOIN courier_configs c ON c.id = s.courier_config_id
                WHERE (\(status)::text IS NULL OR n.status = \(status))
                ORDER BY n.ndr_date DESC, n.id LIMIT \(limit)
                """, logger: logger).decode((UUID, String, UUID, UUID, String?, String, String, String, String?, Int, String, String?,
                                             String?, String?, Date, String?, String?, String?).self) {
                cases.append(Case(id: r.0, ndrNumber: r.1, shipmentID: r.2, orderID: r.3, awb: r.4, courierCode: r.5, status: r.6,
                                  reasonCode: r.7, reasonDescription: r.8, attemptCount: r.9, priority: r.10, resolution: r.11,
                                  customerName: r.12, customerPhone: r.13, ndrDate: DateCoding.format(r.14), dueDate: r.15, lastAction: r.16,
                                  lastActionOutcome: r.17))
            }
            return cases
        }
    }

    /// What an action carries beyond its type.
    public struct ActionPayload: Sendable {
        /// change_address: the corrected address.
        public var newAddress: Address?
        /// change_phone: the corrected phone (E.164 or ten digits).
        public var newPhone: String?
        /// reattempt: the day the customer asked for.
        public var preferredDate: CalendarDate?
        public var remarks: String?

        public init(newAddress: Address? = nil, newPhone: String? = nil, preferredDate: CalendarDate? = nil, remarks: String? = nil) {
            self.newAddress = newAddress
            self.newPhone = newPhone
            self.preferredDate = preferredDate
            self.remarks = remarks
        }
    }

    public struct ActionResult: Sendable, Codable, Equatable {
        public var actionID: UUID
        public var ndrID: UUID
        public var action: String
        /// The case's status afterwards.
        public var status: String
        /// `accepted` (synchronous courier) or `queued` (the courier decides later, e.g. Delhivery).
        public var outcome: String
        /// The courier's request id of an asynchronous action (Delhivery UPL id).
        public var courierRequestID: String?
        public var performedBy: UUID

        enum CodingKeys: String, CodingKey {
            case action, status, outcome
            case actionID = "action_id"
            case ndrID = "ndr_id"
            case courierRequestID = "courier_request_id"
            case performedBy = "performed_by"
        }
    }

    /// Sends an action to the courier and records it, all or nothing: the
    /// case row is locked, the courier called, then `ndr_actions` written and
    /// `ndr_records` updated in the same transaction (a courier refusal
    /// records nothing).
    /// - Parameter performedBy: the acting user (must exist in the tenant); nil acts as the
    ///   tenant's system user (docs/adr/0012).
    /// - Throws: `GatewayError` tenant_not_found, feature_disabled, not_found, invalid_request
    ///   (operator-only action type, missing payload, unknown user), conflict (case closed, shipment
    ///   no longer in delivery), upstream_error (courier refused or unreachable).
    public func action(tenantSlug: String, ndrID: UUID, action: NDRActionType, payload: ActionPayload = ActionPayload(),
                       performedBy: UUID? = nil) async throws -> ActionResult {
        guard action.isCourierAction else {
            throw GatewayError(.invalidRequest, "'\(action.rawValue)' is an operator action; the gateway sends reattempt, change_address, change_phone or rto")
        }
        let phone = try Self.validate(action, payload)
        let tenant = try await requireNDRFeature(tenantSlug)
        let couriers = CourierStore(database: database, vault: vault)
        let logger = database.logger
        return try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            guard let row = try await db.query("""
                SELECT n.status, s.id, s.status, s.awb_number, s.courier_config_id FROM ndr_records n JOIN shipments s ON s.id = n.shipment_id
                WHERE n.id = \(ndrID) FOR UPDATE OF n
                """, logger: logger).collect().first else {
                throw GatewayError(.notFound, "NDR case \(ndrID) not found")
            }
            let (caseStatus, shipmentID, shipmentStatus, awb, courierID) = try row.decode((String, UUID, String, String?, UUID).self)
            guard caseStatus != NDRStatus.resolved.rawValue, caseStatus != NDRStatus.rto.rawValue else {
                throw GatewayError(.conflict, "NDR case \(ndrID) is closed (\(caseStatus))")
            }
            let status = ShipmentStatus(rawValue: shipmentStatus) ?? .created
            guard !status.isTerminal, !status.isRTO else {
                throw GatewayError(.conflict, "shipment \(awb ?? "-") is \(status.rawValue); the courier no longer takes NDR actions for it")
            }
            guard let awb else { throw GatewayError(.invalidRequest, "shipment \(shipmentID) has no AWB") }
            let actor = try await Self.actor(performedBy, on: db, logger: logger)
            guard let courier = try await couriers.get(tenant: tenant, id: courierID) else {
                throw GatewayError(.notFound, "courier configuration \(courierID) not found")
            }
            let request = NDRActionRequest(awb: awb, action: action, reattemptDate: payload.preferredDate, newAddress: payload.newAddress,
                                           newPhone: phone, remarks: payload.remarks)
            let receipt: NDRActionReceipt
            do {
                let adapter = try registry.courier(courier.code)
                let connection = ShipmentService.connection(courier, tenant: tenant)
                if let receipting = adapter as? any CourierNDRReceipting {
                    receipt = try await receipting.ndrActionWithReceipt(connection, request)
                } else {
                    try await adapter.ndrAction(connection, request)
                    receipt = NDRActionReceipt(requestID: nil, asynchronous: false)
                }
            } catch {
                throw GatewayError(.upstreamError, "\(courier.name) refused \(action.rawValue) for \(awb): \(error)")
            }
            let outcome = receipt.asynchronous ? "queued" : "accepted"
            let newStatus = action == .rto ? NDRStatus.inProgress.rawValue : NDRStatus.reattemptScheduled.rawValue
            let addressText = try payload.newAddress.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            let meta: JSON = ["courier": .string(courier.code), "courier_request_id": receipt.requestID.map(JSON.string) ?? .null,
                              "asynchronous": .bool(receipt.asynchronous), "source": "gateway"]
            guard let actionID = try await db.query("""
                INSERT INTO ndr_actions (ndr_id, action_type, outcome, outcome_notes, reattempt_date, new_address, new_phone, performed_by, metadata)
                VALUES (\(ndrID), \(action.rawValue), \(outcome), \(payload.remarks), \(payload.preferredDate?.description)::date,
                        \(addressText)::jsonb, \(phone), \(actor), \(meta.serialized())::jsonb)
                RETURNING id
                """, logger: logger).collect().first?.decode(UUID.self) else {
                throw GatewayError(.conflict, "ndr_actions insert returned nothing")
            }
            // The case follows the action; delivery or the RTO scans close it later (TrackingStore).
            try await db.query("""
                UPDATE ndr_records SET status = \(newStatus), updated_at = NOW(),
                    customer_phone = COALESCE(\(phone), customer_phone),
                    customer_address = COALESCE(\(addressText)::jsonb, customer_address),
                    metadata = COALESCE(metadata, '{}') || jsonb_build_object('last_action', \(action.rawValue)::text,
                        'last_action_at', NOW(), 'last_action_id', \(actionID)::text, 'last_action_outcome', \(outcome)::text,
                        'last_action_remark', NULL)
                WHERE id = \(ndrID)
                """, logger: logger)
            // The courier decides later: ask it (and reopen the case if it refuses).
            if receipt.asynchronous, receipt.requestID != nil {
                try await NDRFollowUp.schedule(tenant: tenant, courierID: courierID, on: db, logger: logger)
            }
            if let addressText {
                try await db.query("UPDATE shipments SET delivery_address = \(addressText)::jsonb, updated_at = NOW() WHERE id = \(shipmentID)",
                                   logger: logger)
            }
            logger.info("NDR action sent", metadata: ["ndr": "\(ndrID)", "action": "\(action.rawValue)", "awb": "\(awb)",
                                                      "request_id": "\(receipt.requestID ?? "-")"])
            return ActionResult(actionID: actionID, ndrID: ndrID, action: action.rawValue, status: newStatus, outcome: outcome,
                                courierRequestID: receipt.requestID, performedBy: actor)
        }
    }

    /// The payload an action needs; returns the normalized new phone.
    static func validate(_ action: NDRActionType, _ payload: ActionPayload) throws -> String? {
        switch action {
        case .changeAddress:
            guard let address = payload.newAddress, !address.line1.isEmpty, ShipmentService.isPIN(address.postalCode) else {
                throw GatewayError(.invalidRequest, "change_address needs a new address with line1 and a six-digit PIN")
            }
        case .changePhone:
            guard let raw = payload.newPhone, let phone = PhoneNumber.normalize(raw)?.description else {
                throw GatewayError(.invalidRequest, "change_phone needs a valid new phone number")
            }
            return phone
        default:
            break
        }
        return nil
    }

    /// The acting user: the caller's (checked) or the tenant's system user, created on first use.
    static func actor(_ performedBy: UUID?, on db: PostgresConnection, logger: Logger) async throws -> UUID {
        if let performedBy {
            let found = try await db.query("SELECT id FROM users WHERE id = \(performedBy) AND deleted_at IS NULL", logger: logger).collect()
            guard !found.isEmpty else { throw GatewayError(.invalidRequest, "user \(performedBy) does not exist in this tenant") }
            return performedBy
        }
        // Inactive and password-less: it can never sign in (docs/adr/0012).
        try await db.query("""
            INSERT INTO users (email, name, is_active, settings) VALUES (\(systemUserEmail), 'Gateway (system)', false, '{"system": true}')
            ON CONFLICT (email) DO NOTHING
            """, logger: logger)
        guard let id = try await db.query("SELECT id FROM users WHERE email = \(systemUserEmail)", logger: logger).collect().first?.decode(UUID.self) else {
            throw GatewayError(.conflict, "could not create the gateway system user")
        }
        return id
    }

    /// A reserved address (`.invalid` never resolves): no person can own it.
    public static let systemUserEmail = "gateway-system@gateway.invalid"

    func requireNDRFeature(_ tenantSlug: String) async throws -> Tenant {
        let tenant = try await ChannelService(database: database, registry: registry, vault: vault).tenant(tenantSlug)
        let entitlements = try await FeatureGate(database: database).entitlements(tenantID: tenant.id)
        guard entitlements.isEnabled("ndr_management") else {
            throw GatewayError(.featureDisabled, "NDR cases need the ndr_management feature (plan \(entitlements.planCode ?? "none"))")
        }
        return tenant
    }
}
