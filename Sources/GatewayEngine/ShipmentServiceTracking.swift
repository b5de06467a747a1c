import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging
import PostgresNIO

/// Reading a shipment with its tracking history and NDR case.
extension ShipmentService {
    public enum Reference: Sendable, Equatable {
        case id(UUID)
        case awb(String)
    }

    public struct ShipmentView: Sendable, Codable, Equatable {
        public var id: UUID
        public var shipmentNumber: String
        public var orderID: UUID
        public var courierID: UUID
        public var awb: String?
        public var status: String
        public var labelURL: String?
        public var trackingURL: String?
        public var weightGrams: Int?
        public var shippingCharges: String?
        public var codAmount: String?
        /// ISO 8601 timestamps; nil until they happen.
        public var pickedAt: String?
        public var deliveredAt: String?
        public var rtoInitiatedAt: String?
        public var rtoDeliveredAt: String?
        public var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, awb, status
            case shipmentNumber = "shipment_number"
            case orderID = "order_id"
            case courierID = "courier_id"
            case labelURL = "label_url"
            case trackingURL = "tracking_url"
            case weightGrams = "weight_grams"
            case shippingCharges = "shipping_charges"
            case codAmount = "cod_amount"
            case pickedAt = "picked_at"
            case deliveredAt = "delivered_at"
            case rtoInitiatedAt = "rto_initiated_at"
            case rtoDeliveredAt = "rto_delivered_at"
            case createdAt = "created_at"
        }
    }

    public struct TrackingEventView: Sendable, Codable, Equatable {
        public var status: String
        public var isNDR: Bool
        public var ndrReason: String?
        public var courierCode: String?
        public var description: String?
        public var location: String?
        public var time: String

        enum CodingKeys: String, CodingKey {
            case status, description, location, time
            case isNDR = "is_ndr"
            case ndrReason = "ndr_reason"
            case courierCode = "courier_code"
        }
    }

    public struct NDRSummary: Sendable, Codable, Equatable {
        public var id: UUID
        public var ndrNumber: String
        public var status: String
        public var reasonCode: String
        public var attemptCount: Int
        public var resolution: String?

        enum CodingKeys: String, CodingKey {
            case id, status, resolution
            case ndrNumber = "ndr_number"
            case reasonCode = "reason_code"
            case attemptCount = "attempt_count"
        }
    }

    public struct Tracked: Sendable, Codable, Equatable {
        public var shipment: ShipmentView
        /// Oldest first.
        public var events: [TrackingEventView]
        public var ndr: NDRSummary?
        /// Events the refresh brought that were new (0 without refresh).
        public var refreshedEvents: Int

        enum CodingKeys: String, CodingKey {
            case shipment, events, ndr
            case refreshedEvents = "refreshed_events"
        }
    }

    /// The shipment with its stored tracking events and NDR case. With
    /// `refresh`, asks the courier first and ingests what it says (NDR
    /// detection included); a courier failure then is an upstream_error.
    /// - Throws: `GatewayError` tenant_not_found, feature_disabled, not_found, upstream_error.
    public func track(tenantSlug: String, _ reference: Reference, refresh: Bool = false) async throws -> Tracked {
        let tenant = try await requireShipmentFeature(tenantSlug)
        guard var tracked = try await read(reference, schema: tenant.schemaName) else {
            throw GatewayError(.notFound, "shipment \(Self.describe(reference)) not found")
        }
        guard refresh, let awb = tracked.shipment.awb else { return tracked }
        guard let courier = try await CourierStore(database: database, vault: vault).get(tenant: tenant, id: tracked.shipment.courierID) else {
            throw GatewayError(.notFound, "courier configuration \(tracked.shipment.courierID) not found")
        }
        let events: [TrackingEvent]
        do {
            events = try await registry.courier(courier.code).track(Self.connection(courier, tenant: tenant), awbs: [awb])
        } catch {
            throw GatewayError(.upstreamError, "\(courier.name) did not answer tracking for \(awb): \(error)")
        }
        let outcome = try await TrackingService(database: database).ingest(events.filter { $0.awb == awb }, tenantID: tenant.id, schema: tenant.schemaName)
        tracked = try await read(.id(tracked.shipment.id), schema: tenant.schemaName) ?? tracked
        tracked.refreshedEvents = outcome.stored
        return tracked
    }

    func read(_ reference: Reference, schema: String) async throws -> Tracked? {
        let logger = database.logger
        return try await database.withTenantTransaction(schema: schema) { db in
            let (id, awb): (UUID?, String?) = switch reference {
            case .id(let id): (id, nil)
            case .awb(let awb): (nil, awb)
            }
            guard let row = try await db.query("""
                SELECT id, shipment_number, order_id, courier_config_id, awb_number, status, label_url, tracking_url, weight_grams,
                       shipping_charges::text, cod_amount::text, picked_at, delivered_at, rto_initiated_at, rto_delivered_at, created_at
                FROM shipments WHERE (\(id)::uuid IS NOT NULL AND id = \(id)) OR (\(awb)::text IS NOT NULL AND awb_number = \(awb))
                """, logger: logger).collect().first else { return nil }
            let r = try row.decode((UUID, String, UUID, UUID, String?, String, String?, String?, Int?, String?, String?,
                                    Date?, Date?, Date?, Date?, Date).self)
            let shipment = ShipmentView(id: r.0, shipmentNumber: r.1, orderID: r.2, courierID: r.3, awb: r.4, status: r.5, labelURL: r.6,
                                        trackingURL: r.7, weightGrams: r.8, shippingCharges: r.9, codAmount: r.10,
                                        pickedAt: r.11.map(DateCoding.format), deliveredAt: r.12.map(DateCoding.format),
                                        rtoInitiatedAt: r.13.map(DateCoding.format), rtoDeliveredAt: r.14.map(DateCoding.format),
                                        createdAt: DateCoding.format(r.15))
            var events: [TrackingEventView] = []
            for try await e in try await db.query("""
                SELECT status, status_code, description, location, event_time,
                       COALESCE(raw_data->'gateway'->>'is_ndr', 'false') = 'true', raw_data->'gateway'->>'ndr_reason'
                FROM shipment_tracking WHERE shipment_id = \(r.0) ORDER BY event_time, id
                """, logger: logger).decode((String, String?, String?, String?, Date, Bool, String?).self) {
                events.append(TrackingEventView(status: e.0, isNDR: e.5, ndrReason: e.6, courierCode: e.1, description: e.2,
                                                location: e.3, time: DateCoding.format(e.4)))
            }
            let ndr = try await db.query("""
                SELECT id, ndr_number, status, reason_code, attempt_count, resolution FROM ndr_records WHERE shipment_id = \(r.0)
                """, logger: logger).collect().first?.decode((UUID, String, String, String, Int, String?).self)
            return Tracked(shipment: shipment, events: events,
                           ndr: ndr.map { NDRSummary(id: $0.0, ndrNumber: $0.1, status: $0.2, reasonCode: $0.3, attemptCount: $0.4, resolution: $0.5) },
                           refreshedEvents: 0)
        }
    }

    static func describe(_ reference: Reference) -> String {
        switch reference {
        case .id(let id): id.uuidString.lowercased()
        case .awb(let awb): "AWB " + awb
        }
    }
}
