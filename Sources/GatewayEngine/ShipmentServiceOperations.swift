import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging
import PostgresNIO

/// Cancel, quote and label (tracking reads: ShipmentServiceTracking.swift).
extension ShipmentService {
    /// What `quote` needs: an order (delivery PIN, COD and declared value from it) or explicit PINs.
    public struct QuoteRequest: Sendable {
        public var orderID: UUID?
        public var pickupPostalCode: String
        /// Required without `orderID`; overrides the order's PIN when given.
        public var deliveryPostalCode: String?
        public var weightGrams: Int
        /// Cash to collect; with an order, its total when the order is COD.
        public var codAmount: Money?
        public var declaredValue: Money?

        public init(orderID: UUID? = nil, pickupPostalCode: String, deliveryPostalCode: String? = nil, weightGrams: Int,
                    codAmount: Money? = nil, declaredValue: Money? = nil) {
            self.orderID = orderID
            self.pickupPostalCode = pickupPostalCode
            self.deliveryPostalCode = deliveryPostalCode
            self.weightGrams = weightGrams
            self.codAmount = codAmount
            self.declaredValue = declaredValue
        }
    }

    public struct CourierQuote: Sendable, Codable, Equatable {
        public var courierID: UUID
        public var courierCode: String
        public var courierName: String
        public var service: String
        /// Decimal string, two places.
        public var charge: String
        public var estimatedDays: Int?
        public var codAvailable: Bool

        enum CodingKeys: String, CodingKey {
            case service, charge
            case courierID = "courier_id"
            case courierCode = "courier_code"
            case courierName = "courier_name"
            case estimatedDays = "estimated_days"
            case codAvailable = "cod_available"
        }
    }

    /// A courier that could not quote: reported, not fatal.
    public struct CourierFailure: Sendable, Codable, Equatable {
        public var courierID: UUID
        public var courierCode: String
        public var courierName: String
        public var error: String

        enum CodingKeys: String, CodingKey {
            case error
            case courierID = "courier_id"
            case courierCode = "courier_code"
            case courierName = "courier_name"
        }
    }

    public struct QuoteResult: Sendable, Codable, Equatable {
        /// Cheapest first.
        public var quotes: [CourierQuote]
        public var failures: [CourierFailure]
    }

    /// Rates from every active courier of the tenant, asked concurrently.
    /// - Throws: `GatewayError` tenant_not_found, feature_disabled, invalid_request, not_found (order, no courier).
    public func quote(tenantSlug: String, _ request: QuoteRequest) async throws -> QuoteResult {
        guard request.weightGrams > 0 else { throw GatewayError(.invalidRequest, "package weight must be positive") }
        guard Self.isPIN(request.pickupPostalCode) else { throw GatewayError(.invalidRequest, "pickup PIN must be six digits") }
        let tenant = try await requireShipmentFeature(tenantSlug)
        var delivery = request.deliveryPostalCode
        var cod = request.codAmount
        var declared = request.declaredValue
        if let orderID = request.orderID {
            let order = try await loadOrder(orderID, schema: tenant.schemaName).order
            delivery = delivery ?? order.shippingAddress.postalCode
            if cod == nil, order.paymentStatus == .cod || order.paymentMethod == .cod { cod = order.totalAmount }
            declared = declared ?? order.totalAmount
        }
        guard let delivery, Self.isPIN(delivery) else { throw GatewayError(.invalidRequest, "delivery PIN must be six digits (or give an order)") }
        let query = RateQuery(pickupPostalCode: request.pickupPostalCode, deliveryPostalCode: delivery, weightGrams: request.weightGrams,
                              codAmount: cod, declaredValue: declared ?? cod ?? .zero)
        let active = try await CourierStore(database: database, vault: vault).list(tenant: tenant).filter(\.isActive)
        guard !active.isEmpty else { throw GatewayError(.notFound, "tenant \(tenant.slug) has no active courier; connect one first") }
        let registry = self.registry
        let answers = await withTaskGroup(of: Result<[CourierQuote], CourierFailureError>.self) { group in
            for courier in active {
                group.addTask {
                    do {
                        let adapter = try registry.courier(courier.code)
                        let quotes = try await adapter.serviceability(Self.connection(courier, tenant: tenant), query)
                        return .success(quotes.map {
                            CourierQuote(courierID: courier.id, courierCode: courier.code, courierName: courier.name, service: $0.service,
                                         charge: $0.charge.stringValue, estimatedDays: $0.estimatedDays, codAvailable: $0.codAvailable)
                        })
                    } catch {
                        return .failure(CourierFailureError(failure: CourierFailure(courierID: courier.id, courierCode: courier.code,
                                                                                    courierName: courier.name, error: "\(error)")))
                    }
                }
            }
            var all: [Result<[CourierQuote], CourierFailureError>] = []
            for await answer in group { all.append(answer) }
            return all
        }
        var result = QuoteResult(quotes: [], failures: [])
        for answer in answers {
            switch answer {
            case .success(let quotes): result.quotes += quotes
            case .failure(let failure): result.failures.append(failure.failure)
            }
        }
        // COD shipments only list services that collect cash.
        if cod != nil { result.quotes = result.quotes.filter(\.codAvailable) }
        result.quotes.sort { (Money(string: $0.charge) ?? .zero, $0.courierName, $0.service) < (Money(string: $1.charge) ?? .zero, $1.courierName, $1.service) }
        result.failures.sort { $0.courierName < $1.courierName }
        return result
    }

    struct CourierFailureError: Error { var failure: CourierFailure }

    public struct Cancelled: Sendable, Codable, Equatable {
        public var shipmentID: UUID
        public var awb: String?
        public var status: String
        /// True when an earlier call had already cancelled it (nothing sent to the courier).
        public var alreadyCancelled: Bool

        enum CodingKeys: String, CodingKey {
            case awb, status
            case shipmentID = "shipment_id"
            case alreadyCancelled = "already_cancelled"
        }
    }

    /// Cancels with the courier, then marks the shipment `cancelled`. Only
    /// before pickup (created, manifested: the state machine's rule);
    /// idempotent: cancelling a cancelled shipment succeeds without a call.
    /// - Throws: `GatewayError` not_found, conflict (picked up or further), upstream_error.
    public func cancel(tenantSlug: String, shipmentID: UUID) async throws -> Cancelled {
        let tenant = try await requireShipmentFeature(tenantSlug)
        let couriers = CourierStore(database: database, vault: vault)
        let logger = database.logger
        // The row lock spans the courier call, so concurrent cancels make one call.
        return try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            guard let row = try await db.query("""
                SELECT status, awb_number, courier_config_id FROM shipments WHERE id = \(shipmentID) FOR UPDATE
                """, logger: logger).collect().first else {
                throw GatewayError(.notFound, "shipment \(shipmentID) not found")
            }
            let (statusText, awb, courierID) = try row.decode((String, String?, UUID).self)
            let status = ShipmentStatus(rawValue: statusText) ?? .created
            if status == .cancelled { return Cancelled(shipmentID: shipmentID, awb: awb, status: "cancelled", alreadyCancelled: true) }
            guard ShipmentStateMachine.canTransition(from: status, to: .cancelled) else {
                throw GatewayError(.conflict, "shipment \(awb ?? shipmentID.uuidString) is \(status.rawValue); only created or manifested shipments can be cancelled")
            }
            if let awb {
                guard let courier = try await couriers.get(tenant: tenant, id: courierID) else {
                    throw GatewayError(.notFound, "courier configuration \(courierID) of shipment \(awb) not found")
                }
                do {
                    try await registry.courier(courier.code).cancelShipment(Self.connection(courier, tenant: tenant), awb: awb)
                } catch {
                    throw GatewayError(.upstreamError, "\(courier.name) did not cancel \(awb): \(error)")
                }
            }
            try await db.query("""
                UPDATE shipments SET status = 'cancelled', updated_at = NOW(),
                    metadata = COALESCE(metadata, '{}') || jsonb_build_object('cancelled_at', NOW())
                WHERE id = \(shipmentID)
                """, logger: logger)
            logger.info("shipment cancelled", metadata: ["shipment": "\(shipmentID)", "awb": "\(awb ?? "-")"])
            return Cancelled(shipmentID: shipmentID, awb: awb, status: "cancelled", alreadyCancelled: false)
        }
    }

    public struct Label: Sendable, Codable, Equatable {
        public var shipmentID: UUID
        public var awb: String
        public var labelURL: String
        /// True when the courier was asked for a new label now.
        public var regenerated: Bool

        enum CodingKeys: String, CodingKey {
            case awb, regenerated
            case shipmentID = "shipment_id"
            case labelURL = "label_url"
        }
    }

    /// The shipment's label URL; asks the courier again when none is stored
    /// (or `regenerate`), if its adapter can.
    /// - Throws: `GatewayError` not_found, invalid_request (courier cannot make labels), upstream_error.
    public func label(tenantSlug: String, shipmentID: UUID, regenerate: Bool = false) async throws -> Label {
        let tenant = try await requireShipmentFeature(tenantSlug)
        let logger = database.logger
        let row = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query("SELECT awb_number, label_url, external_shipment_id, courier_config_id FROM shipments WHERE id = \(shipmentID)",
                               logger: logger).collect().first?.decode((String?, String?, String?, UUID).self)
        }
        guard let row else { throw GatewayError(.notFound, "shipment \(shipmentID) not found") }
        guard let awb = row.0 else { throw GatewayError(.invalidRequest, "shipment \(shipmentID) has no AWB yet") }
        if let url = row.1, !url.isEmpty, !regenerate { return Label(shipmentID: shipmentID, awb: awb, labelURL: url, regenerated: false) }
        guard let courier = try await CourierStore(database: database, vault: vault).get(tenant: tenant, id: row.3) else {
            throw GatewayError(.notFound, "courier configuration \(row.3) not found")
        }
        guard let adapter = try registry.courier(courier.code) as? any CourierLabelRegenerating else {
            throw GatewayError(.invalidRequest, "\(courier.name) cannot generate labels through the gateway")
        }
        let url: String
        do {
            url = try await adapter.regenerateLabel(Self.connection(courier, tenant: tenant), awb: awb, externalShipmentID: row.2)
        } catch {
            throw GatewayError(.upstreamError, "\(courier.name) returned no label for \(awb): \(error)")
        }
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query("UPDATE shipments SET label_url = \(url), updated_at = NOW() WHERE id = \(shipmentID)", logger: logger)
        }
        return Label(shipmentID: shipmentID, awb: awb, labelURL: url, regenerated: true)
    }

    // MARK: shared

    func requireShipmentFeature(_ tenantSlug: String) async throws -> Tenant {
        let tenant = try await ChannelService(database: database, registry: registry, vault: vault).tenant(tenantSlug)
        let entitlements = try await FeatureGate(database: database).entitlements(tenantID: tenant.id)
        guard entitlements.isEnabled("shipment_management") else {
            throw GatewayError(.featureDisabled, "shipments need the shipment_management feature (plan \(entitlements.planCode ?? "none"))")
        }
        return tenant
    }

    static func connection(_ courier: CourierConnectionRecord, tenant: Tenant) -> Connection {
        Connection(id: courier.id, tenant: tenant.slug, adapterCode: courier.code, credentials: courier.credentials, settings: courier.settings)
    }

    static func isPIN(_ text: String) -> Bool {
        text.count == 6 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
