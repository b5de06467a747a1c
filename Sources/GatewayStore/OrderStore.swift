import Foundation
import GatewayModel
import JSONCore
import Logging
import PostgresNIO

/// Writes pulled or pushed orders into a tenant's `orders`, `order_items`
/// and `order_status_history`, a page at a time, in set-based statements
/// (a page of 250 orders is five round trips, not a thousand).
///
/// - Unique per (channel, external id): a re-pull or overlap never duplicates.
/// - Unchanged orders (same content hash) are not rewritten.
/// - Status only moves forward (`OrderStatus.canAdvance`); each change adds history.
/// - Items keep their ids across re-pulls (matched on `metadata.external_item_id`)
///   and link to `products`/`product_variants` by SKU.
public struct OrderStore: Sendable {
    public struct PageResult: Sendable, Equatable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        public var statusChanges = 0

        public init() {}
    }

    public struct LeaseLost: Error, CustomStringConvertible {
        public var description: String { "the job lease expired and was taken over; this page was not written" }
    }

    public init() {}

    /// Writes `orders` and advances `cursor` in the caller's tenant transaction
    /// (search_path set to the tenant schema), so both commit or neither does.
    public func write(_ orders: [UnifiedOrder], channelID: UUID, cursor: JSON?, lease: JobLease? = nil,
                      on connection: PostgresConnection, logger: Logger) async throws -> PageResult {
        if let lease, try await !JobStore.renew(lease, seconds: 120, on: connection, logger: logger) { throw LeaseLost() }
        var result = PageResult()
        // The last version of an order wins when a page repeats one.
        var latest: [String: UnifiedOrder] = [:]
        var order: [String] = []
        for item in orders {
            if latest.updateValue(item, forKey: item.externalOrderId) == nil { order.append(item.externalOrderId) }
        }
        let externalIDs = order
        var existing: [String: (id: UUID, status: OrderStatus, hash: String?)] = [:]
        if !externalIDs.isEmpty {
            for try await (id, external, status, hash) in try await connection.query("""
                SELECT id, external_order_id, status, metadata->>'content_hash' FROM orders
                WHERE channel_id = \(channelID) AND external_order_id = ANY(\(externalIDs)) FOR UPDATE
                """, logger: logger).decode((UUID, String, String, String?).self) {
                existing[external] = (id, OrderStatus(rawValue: status) ?? .pending, hash)
            }
        }
        var rows: [UnifiedOrder] = []
        var history: [(external: String, status: OrderStatus, note: String)] = []
        for external in externalIDs {
            guard var incoming = latest[external] else { continue }
            let hash = incoming.contentHash
            incoming.metadata["content_hash"] = .string(hash)
            for index in incoming.items.indices where incoming.items[index].metadata["external_item_id"] == nil {
                // Adapters always set it; a positional id keeps rows stable if one did not.
                incoming.items[index].metadata["external_item_id"] = .string("line-\(index + 1)")
            }
            if let current = existing[external] {
                if current.hash == hash { result.unchanged += 1; continue }
                // Never backwards: a channel that lags our tracking does not undo "shipped".
                if let next = OrderStatus.next(current: current.status, proposed: incoming.status) {
                    history.append((external, next, "channel: \(current.status.rawValue) -> \(next.rawValue)"))
                } else {
                    incoming.status = current.status
                }
                result.updated += 1
            } else {
                history.append((external, incoming.status, "imported from channel"))
                result.inserted += 1
            }
            rows.append(incoming)
        }
        result.statusChanges = history.count - result.inserted
        if !rows.isEmpty {
            let ids = try await upsertOrders(rows, channelID: channelID, on: connection, logger: logger)
            try await upsertItems(rows, ids: ids, on: connection, logger: logger)
            let historyIDs = history.compactMap { ids[$0.external] }
            try await connection.query("""
                INSERT INTO order_status_history (order_id, status, notes)
                SELECT * FROM unnest(\(historyIDs)::uuid[], \(history.map(\.status.rawValue))::text[], \(history.map(\.note))::text[])
                """, logger: logger)
        }
        if let cursor {
            try await connection.query("""
                INSERT INTO gateway_sync_cursors (channel_id, cursor, orders_seen) VALUES (\(channelID), \(cursor.serialized())::jsonb, \(orders.count))
                ON CONFLICT (channel_id) DO UPDATE SET cursor = EXCLUDED.cursor,
                    orders_seen = gateway_sync_cursors.orders_seen + EXCLUDED.orders_seen, updated_at = NOW()
                """, logger: logger)
        }
        return result
    }

    public static func cursor(channelID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> JSON? {
        let rows = try await connection.query(
            "SELECT cursor::text FROM gateway_sync_cursors WHERE channel_id = \(channelID)", logger: logger).collect()
        return try rows.first.map { try JSON.parse(try $0.decode(String.self)) }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// external order id -> order id
    private func upsertOrders(_ rows: [UnifiedOrder], channelID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [String: UUID] {
        let payload = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        var ids: [String: UUID] = [:]
        for try await (id, external) in try await connection.query("""
            INSERT INTO orders (channel_id, order_number, external_order_id, external_order_number, status, payment_status, fulfillment_status,
                customer_name, customer_email, customer_phone, shipping_address, billing_address, subtotal, discount_amount, tax_amount,
                shipping_amount, total_amount, currency, payment_method, payment_gateway, payment_reference, order_date, confirmed_at,
                shipped_at, delivered_at, cancelled_at, notes, tags, metadata)
            SELECT \(channelID), x.order_number, x.external_order_id, x.external_order_number, x.status, x.payment_status, x.fulfillment_status,
                x.customer_name, x.customer_email, x.customer_phone, x.shipping_address, x.billing_address, x.subtotal, x.discount_amount,
                x.tax_amount, x.shipping_amount, x.total_amount, x.currency, x.payment_method, x.payment_gateway, x.payment_reference,
                x.order_date, x.confirmed_at, x.shipped_at, x.delivered_at, x.cancelled_at, x.notes, COALESCE(x.tags, '[]'), COALESCE(x.metadata, '{}')
            FROM jsonb_to_recordset(\(payload)::jsonb) AS x(
                order_number varchar, external_order_id varchar, external_order_number varchar, status varchar, payment_status varchar,
                fulfillment_status varchar, customer_name varchar, customer_email varchar, customer_phone varchar, shipping_address jsonb,
                billing_address jsonb, subtotal numeric, discount_amount numeric, tax_amount numeric, shipping_amount numeric,
                total_amount numeric, currency varchar, payment_method varchar, payment_gateway varchar, payment_reference varchar,
                order_date timestamptz, confirmed_at timestamptz, shipped_at timestamptz, delivered_at timestamptz, cancelled_at timestamptz,
                notes text, tags jsonb, metadata jsonb)
            ON CONFLICT (channel_id, external_order_id) DO UPDATE SET
                order_number = EXCLUDED.order_number, external_order_number = EXCLUDED.external_order_number, status = EXCLUDED.status,
                payment_status = EXCLUDED.payment_status, fulfillment_status = EXCLUDED.fulfillment_status,
                customer_name = EXCLUDED.customer_name, customer_email = EXCLUDED.customer_email, customer_phone = EXCLUDED.customer_phone,
                shipping_address = EXCLUDED.shipping_address, billing_address = EXCLUDED.billing_address, subtotal = EXCLUDED.subtotal,
                discount_amount = EXCLUDED.discount_amount, tax_amount = EXCLUDED.tax_amount, shipping_amount = EXCLUDED.shipping_amount,
                total_amount = EXCLUDED.total_amount, currency = EXCLUDED.currency, payment_method = EXCLUDED.payment_method,
                payment_gateway = EXCLUDED.payment_gateway, payment_reference = EXCLUDED.payment_reference,
                order_date = EXCLUDED.order_date, confirmed_at = EXCLUDED.confirmed_at,
                shipped_at = COALESCE(orders.shipped_at, EXCLUDED.shipped_at), delivered_at = COALESCE(orders.delivered_at, EXCLUDED.delivered_at),
                cancelled_at = EXCLUDED.cancelled_at, notes = EXCLUDED.notes, tags = EXCLUDED.tags,
                metadata = orders.metadata || EXCLUDED.metadata, updated_at = NOW()
            RETURNING id, external_order_id
            """, logger: logger).decode((UUID, String).self) {
            ids[external] = id
        }
        return ids
    }

    private struct ItemRow: Encodable {
        var order_id: UUID
        var external_item_id: String
        var item: UnifiedOrderItem
        func encode(to encoder: any Encoder) throws {
            try item.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(order_id, forKey: .order_id)
            try container.encode(external_item_id, forKey: .external_item_id)
        }
        enum Keys: String, CodingKey { case order_id, external_item_id }
    }

    private func upsertItems(_ rows: [UnifiedOrder], ids: [String: UUID], on connection: PostgresConnection, logger: Logger) async throws {
        var items: [ItemRow] = []
        var orderIDs: [UUID] = []
        for order in rows {
            guard let orderID = ids[order.externalOrderId] else { continue }
            // An order the channel sent without its lines (Amazon getOrderItems missing) keeps the stored ones.
            if order.metadata["items_missing"]?.boolValue == true { continue }
            orderIDs.append(orderID)
            for item in order.items {
                items.append(ItemRow(order_id: orderID, external_item_id: item.metadata["external_item_id"]?.stringValue ?? "", item: item))
            }
        }
        let payload = String(decoding: try JSONEncoder().encode(items), as: UTF8.self)
        // Lines the channel no longer lists go, unless a shipment already references them.
        try await connection.query("""
            DELETE FROM order_items oi WHERE oi.order_id = ANY(\(orderIDs)::uuid[])
              AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(\(payload)::jsonb) AS x(order_id uuid, external_item_id text)
                              WHERE x.order_id = oi.order_id AND x.external_item_id = oi.metadata->>'external_item_id')
              AND NOT EXISTS (SELECT 1 FROM shipment_items si WHERE si.order_item_id = oi.id)
            """, logger: logger)
        guard !items.isEmpty else { return }
        try await connection.query("""
            INSERT INTO order_items (order_id, product_id, variant_id, external_product_id, external_variant_id, sku, name, quantity,
                unit_price, discount_amount, tax_amount, total_amount, fulfilled_quantity, metadata)
            SELECT x.order_id, COALESCE(pv.product_id, p.id), pv.id, x.external_product_id, x.external_variant_id, x.sku, x.name, x.quantity,
                x.unit_price, x.discount_amount, x.tax_amount, x.total_amount, x.fulfilled_quantity, COALESCE(x.metadata, '{}')
            FROM jsonb_to_recordset(\(payload)::jsonb) AS x(order_id uuid, external_product_id varchar, external_variant_id varchar,
                sku varchar, name varchar, quantity int, unit_price numeric, discount_amount numeric, tax_amount numeric,
                total_amount numeric, fulfilled_quantity int, metadata jsonb)
            LEFT JOIN product_variants pv ON pv.sku = x.sku
            LEFT JOIN products p ON p.sku = x.sku AND pv.id IS NULL
            ON CONFLICT (order_id, (metadata->>'external_item_id')) DO UPDATE SET
                product_id = EXCLUDED.product_id, variant_id = EXCLUDED.variant_id, external_product_id = EXCLUDED.external_product_id,
                external_variant_id = EXCLUDED.external_variant_id, sku = EXCLUDED.sku, name = EXCLUDED.name, quantity = EXCLUDED.quantity,
                unit_price = EXCLUDED.unit_price, discount_amount = EXCLUDED.discount_amount, tax_amount = EXCLUDED.tax_amount,
                total_amount = EXCLUDED.total_amount, fulfilled_quantity = EXCLUDED.fulfilled_quantity, metadata = EXCLUDED.metadata
            """, logger: logger)
    }
}
