import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import PostgresNIO
import Testing
import TestSupport

@Suite("Order store")
struct OrderStoreTests {
    static func order(_ external: String, status: OrderStatus = .confirmed, items: [(String, String, Int)] = [("L1", "TSHIRT-M", 2)]) -> UnifiedOrder {
        let price = Money(minorUnits: 49_950)
        return UnifiedOrder(
            orderNumber: "SH-\(external)", externalOrderId: external, externalOrderNumber: "#\(external)",
            status: status, paymentStatus: .cod, fulfillmentStatus: .unfulfilled,
            customerName: "Asha Rao", customerEmail: "asha@example.in", customerPhone: "+919876543210",
            shippingAddress: Address(name: "Asha Rao", phone: "9876543210", line1: "12 MG Road", city: "Bengaluru", state: "Karnataka", postalCode: "560001"),
            billingAddress: nil,
            subtotal: price * items.reduce(0) { $0 + $1.2 }, discountAmount: .zero, taxAmount: .zero, shippingAmount: .zero,
            totalAmount: price * items.reduce(0) { $0 + $1.2 }, currency: "INR",
            paymentMethod: .cod, paymentGateway: "Cash on Delivery (COD)", paymentReference: nil,
            orderDate: Date(timeIntervalSince1970: 1_700_000_000), confirmedAt: nil,
            notes: nil, tags: ["cod"], metadata: JSONObject([("taxes_included", .bool(false))]),
            items: items.map { id, sku, qty in
                UnifiedOrderItem(externalProductId: "P-\(sku)", sku: sku, name: sku, quantity: qty, unitPrice: price,
                                 totalAmount: price * qty, metadata: JSONObject([("external_item_id", .string(id))]))
            })
    }

    func setUp(_ database: GatewayDatabase) async throws -> (Tenant, UUID) {
        let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
        let channel = UUID()
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query("INSERT INTO sales_channels (id, channel_type_code, name, credentials) VALUES (\(channel), 'shopify', 'Shop', '{}')", logger: database.logger)
            try await db.query("INSERT INTO products (sku, name) VALUES ('TSHIRT-M', 'T-shirt')", logger: database.logger)
        }
        return (tenant, channel)
    }

    func write(_ database: GatewayDatabase, _ tenant: Tenant, _ channel: UUID, _ orders: [UnifiedOrder], cursor: JSON? = nil) async throws -> OrderStore.PageResult {
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await OrderStore().write(orders, channelID: channel, cursor: cursor, on: db, logger: database.logger)
        }
    }

    func scalar<T: PostgresDecodable & Sendable>(_ database: GatewayDatabase, _ tenant: Tenant, _ query: PostgresQuery, as: T.Type) async throws -> T? {
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query(query, logger: database.logger).collect().first?.decode(T.self)
        }
    }

    @Test func rePullNeverDuplicatesAndUnchangedOrdersAreNotRewritten() async throws {
        try await withTestDatabase { database in
            let (tenant, channel) = try await setUp(database)
            let page = (1...50).map { Self.order("\($0)") }
            var result = try await write(database, tenant, channel, page, cursor: ["watermark": "2024-01-01T00:00:00Z"])
            #expect(result.inserted == 50)
            let before = try await scalar(database, tenant, "SELECT max(updated_at) FROM orders", as: Date.self)
            result = try await write(database, tenant, channel, page + page.prefix(10))
            #expect(result.unchanged == 50 && result.inserted == 0 && result.updated == 0)
            #expect(try await scalar(database, tenant, "SELECT count(*)::int FROM orders", as: Int.self) == 50)
            #expect(try await scalar(database, tenant, "SELECT count(*)::int FROM order_items", as: Int.self) == 50)
            #expect(try await scalar(database, tenant, "SELECT max(updated_at) FROM orders", as: Date.self) == before)
            #expect(try await scalar(database, tenant, "SELECT count(*)::int FROM order_status_history", as: Int.self) == 50)
            // Money lands exactly, items link to the catalog by SKU.
            #expect(try await scalar(database, tenant, "SELECT total_amount::text FROM orders WHERE external_order_id = '1'", as: String.self) == "999.00")
            #expect(try await scalar(database, tenant, "SELECT count(*)::int FROM order_items WHERE product_id IS NOT NULL", as: Int.self) == 50)
            #expect(try await scalar(database, tenant, "SELECT cursor->>'watermark' FROM gateway_sync_cursors", as: String.self) == "2024-01-01T00:00:00Z")
        }
    }

    @Test func changedOrdersUpdateInPlaceWithHistoryAndStableItemIDs() async throws {
        try await withTestDatabase { database in
            let (tenant, channel) = try await setUp(database)
            _ = try await write(database, tenant, channel, [Self.order("7", items: [("L1", "TSHIRT-M", 2), ("L2", "CAP", 1)])])
            let itemID = try await scalar(database, tenant, "SELECT id FROM order_items WHERE metadata->>'external_item_id' = 'L1'", as: UUID.self)
            var changed = Self.order("7", status: .shipped, items: [("L1", "TSHIRT-M", 3)])
            changed.fulfillmentStatus = .fulfilled
            let result = try await write(database, tenant, channel, [changed])
            #expect(result.updated == 1 && result.statusChanges == 1)
            #expect(try await scalar(database, tenant, "SELECT status FROM orders", as: String.self) == "shipped")
            #expect(try await scalar(database, tenant, "SELECT id FROM order_items WHERE metadata->>'external_item_id' = 'L1'", as: UUID.self) == itemID)
            #expect(try await scalar(database, tenant, "SELECT quantity FROM order_items WHERE id = \(itemID)", as: Int.self) == 3)
            #expect(try await scalar(database, tenant, "SELECT count(*)::int FROM order_items", as: Int.self) == 1)   // L2 was removed
            let history = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("SELECT status FROM order_status_history ORDER BY created_at, status", logger: database.logger)
                    .collect().map { try $0.decode(String.self) }
            }
            #expect(Set(history) == ["confirmed", "shipped"])
            // A lagging channel cannot move the order backwards.
            _ = try await write(database, tenant, channel, [Self.order("7", status: .confirmed, items: [("L1", "TSHIRT-M", 4)])])
            #expect(try await scalar(database, tenant, "SELECT status FROM orders", as: String.self) == "shipped")
            #expect(try await scalar(database, tenant, "SELECT quantity FROM order_items", as: Int.self) == 4)
        }
    }

    @Test func aFailedPageLeavesNeitherOrdersNorCursor() async throws {
        try await withTestDatabase { database in
            let (tenant, channel) = try await setUp(database)
            await #expect(throws: (any Error).self) {
                try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                    _ = try await OrderStore().write([Self.order("1")], channelID: channel, cursor: ["page": "2"], on: db, logger: database.logger)
                    throw CancellationError()   // the process dies before commit
                }
            }
            #expect(try await scalar(database, tenant, "SELECT count(*)::int FROM orders", as: Int.self) == 0)
            #expect(try await scalar(database, tenant, "SELECT count(*)::int FROM gateway_sync_cursors", as: Int.self) == 0)
        }
    }
}
