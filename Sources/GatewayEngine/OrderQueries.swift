import Foundation
import GatewayStore
import JSONCore
import PostgresNIO

/// Read-side order queries for the RPC (`orders.get`, `orders.list`).
/// PostgreSQL builds the JSON: numeric(12,2)::text keeps money exact with two
/// decimals, and timestamps come out as RFC 3339.
public struct OrderQueries: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    static let summaryColumns = """
        'id', o.id, 'channel_id', o.channel_id, 'order_number', o.order_number, 'external_order_id', o.external_order_id,
        'status', o.status, 'payment_status', o.payment_status, 'fulfillment_status', o.fulfillment_status,
        'payment_method', o.payment_method, 'total_amount', o.total_amount::text, 'currency', o.currency,
        'order_date', o.order_date, 'customer_name', o.customer_name
        """

    public enum Key: Sendable {
        case id(UUID)
        case external(channelID: UUID, externalOrderID: String)
    }

    /// The order with its items and shipments, or nil.
    public func get(schema: String, _ key: Key) async throws -> JSON? {
        let (idFilter, channelFilter, externalFilter): (UUID?, UUID?, String?) = switch key {
        case .id(let id): (id, nil, nil)
        case .external(let channel, let external): (nil, channel, external)
        }
        let text = try await database.withTenantTransaction(schema: schema) { db -> String? in
            let query: PostgresQuery = """
                SELECT (jsonb_build_object(\(unescaped: Self.summaryColumns)) || jsonb_build_object(
                    'customer_email', o.customer_email, 'customer_phone', o.customer_phone,
                    'shipping_address', o.shipping_address, 'billing_address', o.billing_address,
                    'subtotal', o.subtotal::text, 'discount_amount', COALESCE(o.discount_amount, 0)::numeric(12,2)::text,
                    'tax_amount', COALESCE(o.tax_amount, 0)::numeric(12,2)::text,
                    'shipping_amount', COALESCE(o.shipping_amount, 0)::numeric(12,2)::text,
                    'metadata', COALESCE(o.metadata, '{}'::jsonb),
                    'items', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                        'id', i.id, 'sku', i.sku, 'name', i.name, 'quantity', i.quantity, 'unit_price', i.unit_price::text,
                        'discount_amount', COALESCE(i.discount_amount, 0)::numeric(12,2)::text,
                        'tax_amount', COALESCE(i.tax_amount, 0)::numeric(12,2)::text, 'total_amount', i.total_amount::text,
                        'product_id', i.product_id, 'variant_id', i.variant_id) ORDER BY i.created_at, i.id)
                        FROM order_items i WHERE i.order_id = o.id), '[]'::jsonb),
                    'shipments', COALESCE((SELECT jsonb_agg(jsonb_build_object(
                        'shipment_id', s.id, 'shipment_number', s.shipment_number, 'awb', s.awb_number,
                        'courier', COALESCE(c.courier_type_code, ''), 'status', s.status, 'label_url', s.label_url) ORDER BY s.created_at)
                        FROM shipments s LEFT JOIN courier_configs c ON c.id = s.courier_config_id WHERE s.order_id = o.id), '[]'::jsonb)
                ))::text
                FROM orders o
                WHERE (\(idFilter)::uuid IS NULL OR o.id = \(idFilter))
                  AND (\(channelFilter)::uuid IS NULL OR (o.channel_id = \(channelFilter) AND o.external_order_id = \(externalFilter)))
                LIMIT 1
                """
            return try await db.query(query, logger: database.logger).collect().first?.decode(String.self)
        }
        return try text.map { try JSON.parse(Array($0.utf8)) }
    }

    public struct Page: Sendable {
        public var orders: [JSON]
        /// Pass as `before` for the next page; nil on the last one.
        public var nextBefore: String?
    }

    /// Newest first, keyset-paged on (order_date, id). The cursor carries the
    /// timestamp as PostgreSQL prints it, so it round-trips exactly.
    public func list(schema: String, channelID: UUID?, status: String?, limit: Int, before: String?) async throws -> Page {
        var beforeTime: String?
        var beforeID: UUID?
        if let before {
            let parts = before.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = UUID(uuidString: parts[1]) else {
                throw GatewayError(.invalidRequest, "'before' is not a cursor this gateway issued")
            }
            beforeTime = parts[0]
            beforeID = id
        }
        let rows = try await database.withTenantTransaction(schema: schema) { db -> [(String, String, UUID)] in
            let query: PostgresQuery = """
                SELECT jsonb_build_object(\(unescaped: Self.summaryColumns))::text, (o.order_date AT TIME ZONE 'UTC')::text, o.id
                FROM orders o
                WHERE (\(channelID)::uuid IS NULL OR o.channel_id = \(channelID))
                  AND (\(status)::text IS NULL OR o.status = \(status))
                  AND (\(beforeTime)::text IS NULL OR (o.order_date, o.id) < ((\(beforeTime)::timestamp AT TIME ZONE 'UTC'), \(beforeID)))
                ORDER BY o.order_date DESC, o.id DESC
                LIMIT \(limit)
                """
            var rows: [(String, String, UUID)] = []
            for try await row in try await db.query(query, logger: database.logger).decode((String, String, UUID).self) { rows.append(row) }
            return rows
        }
        let orders = try rows.map { try JSON.parse(Array($0.0.utf8)) }
        let next = rows.count == limit ? rows.last.map { "\($0.1)|\($0.2.uuidString.lowercased())" } : nil
        return Page(orders: orders, nextBefore: next)
    }
}
