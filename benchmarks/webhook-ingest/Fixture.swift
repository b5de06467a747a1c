import AdapterCatalog
import AdapterKit
import Foundation
import GatewayEngine
import GatewayModel
import GatewayStore
import JSONCore
import Logging
import MockServers
import PostgresNIO

/// A tenant with Shiprocket and Delhivery connected to their mocks and real
/// bookings there; the mocks' simulators then run every journey (delivered,
/// NDR then delivered, NDR then RTO) and the webhooks they would push become
/// the benchmark's request bodies.
enum Fixture {
    static let vault = CredentialVault(current: MasterKey.generate())
    static let slug = "bench"
    static let channelID = UUID()

    static func prepare(database: GatewayDatabase, shipments: Int, logger: Logger) async throws -> ([Delivery], Int) {
        let tenant = try await TenantStore(database: database).create(slug: slug, name: "Bench", planCode: "enterprise")
        var srOptions = ShiprocketMockOptions()
        srOptions.seed = 42
        let shiprocket = try await ShiprocketMock.start(srOptions)
        var dlOptions = DelhiveryMockOptions()
        dlOptions.seed = 42
        dlOptions.rateLimits = .disabled
        let delhivery = try await DelhiveryMock.start(dlOptions)
        var registry = try AdapterCatalog.registry()
        registry.logger = logger
        registry.baseURLOverrides = ["shiprocket": shiprocket.baseURL, "delhivery": delhivery.baseURL]
        var transport = HTTPTransport.Configuration()
        transport.clientRateLimits = false
        registry.transport = HTTPTransport(configuration: transport)

        let couriers = CourierService(database: database, registry: registry, vault: vault)
        let sr = try await couriers.connect(tenantSlug: slug, code: "shiprocket", name: "Shiprocket",
                                            credentials: ["email": .string(shiprocket.email), "password": .string(shiprocket.password)],
                                            isDefault: true, webhookSecret: shiprocket.webhookToken, testLive: false)
        let dl = try await couriers.connect(tenantSlug: slug, code: "delhivery", name: "Delhivery",
                                            credentials: ["api_token": .string(delhivery.apiToken), "pickup_location": "Mock Seller Warehouse"],
                                            webhookSecret: delhivery.webhookToken, testLive: false)
        let orders = try await insertOrders(database, tenant: tenant, count: shipments)
        let service = ShipmentService(database: database, registry: registry, vault: vault)
        let srPickup = Address(name: "Warehouse", phone: "+919820012345", line1: "Unit 7, Andheri Industrial Estate", city: "Mumbai",
                               state: "Maharashtra", postalCode: "400069", email: "warehouse@mock-seller.in")
        let dlPickup = Address(name: "Warehouse", phone: "+919810012345", line1: "B-42, Okhla Industrial Area", city: "New Delhi",
                               state: "Delhi", postalCode: "110020")
        // Booked 16 at a time; even orders with Shiprocket, odd with Delhivery.
        var booked: [(courier: String, awb: String)] = []
        for start in stride(from: 0, to: orders.count, by: 16) {
            let slice = Array(orders[start..<min(start + 16, orders.count)].enumerated())
            booked += try await withThrowingTaskGroup(of: (String, String).self) { group in
                for (offset, order) in slice {
                    let useSR = (start + offset) % 2 == 0
                    group.addTask {
                        let result = try await service.create(tenantSlug: slug, orderID: order, courierID: useSR ? sr.id : dl.id, idempotencyKey: "bench-\(order)",
                                                              package: .init(weightGrams: 500), pickupAddress: useSR ? srPickup : dlPickup)
                        return (useSR ? "shiprocket" : "delhivery", result.awb)
                    }
                }
                var out: [(String, String)] = []
                for try await pair in group { out.append(pair) }
                return out
            }
        }
        await shiprocket.advance(minutes: 20 * 24 * 60)
        await delhivery.advance(minutes: 20 * 24 * 60)
        var timed: [(at: Int64, delivery: Delivery)] = []
        for (courier, awb) in booked {
            let isSR = courier == "shiprocket"
            let events = isSR ? shiprocket.simulator.history(awb: awb) : delhivery.simulator.history(awb: awb)
            for event in events {
                guard let body = isSR ? shiprocket.webhookBody(for: event) : delhivery.webhookBody(for: event) else { continue }
                let delivery = isSR
                    ? Delivery(path: "/webhooks/couriers/tracking/\(sr.id.uuidString.lowercased())",
                               headers: [("Content-Type", "application/json"), ("x-api-key", shiprocket.webhookToken ?? "")], body: body)
                    : Delivery(path: "/webhooks/couriers/delhivery/\(dl.id.uuidString.lowercased())",
                               headers: [("Content-Type", "application/json"), ("Authorization", delhivery.webhookToken ?? "")], body: body)
                timed.append((event.at, delivery))
            }
        }
        await shiprocket.stop()
        await delhivery.stop()
        try await registry.transport.shutdown()
        // In event-time order across shipments, as couriers would push them.
        return (timed.sorted { $0.at < $1.at }.map(\.delivery), booked.count)
    }

    static func insertOrders(_ database: GatewayDatabase, tenant: Tenant, count: Int) async throws -> [UUID] {
        let address = #"{"name":"Ananya Iyer","phone":"+919876543210","line1":"Flat 402, Lakshmi Towers, 80 Feet Road","city":"Bengaluru","state":"Karnataka","postal_code":"560034","country":"IN"}"#
        let ids = (0..<count).map { _ in UUID() }
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query("INSERT INTO sales_channels (id, channel_type_code, name, credentials) VALUES (\(channelID), 'shopify', 'Shop', '{}')",
                               logger: database.logger)
            for (index, id) in ids.enumerated() {
                let number = "SH-\(100_000 + index)"
                try await db.query("""
                    INSERT INTO orders (id, order_number, channel_id, external_order_id, status, payment_status, customer_name, customer_email, customer_phone,
                        shipping_address, subtotal, total_amount, payment_method, order_date)
                    VALUES (\(id), \(number), \(channelID), \(number), 'confirmed', 'cod', 'Ananya Iyer', 'ananya@example.in', '+919876543210', \(address)::jsonb,
                        1749.50, 1749.50, 'cod', NOW())
                    """, logger: database.logger)
                try await db.query("""
                    INSERT INTO order_items (order_id, sku, name, quantity, unit_price, total_amount) VALUES (\(id), 'KURTA-M', 'Cotton Kurta', 1, 1749.50, 1749.50)
                    """, logger: database.logger)
            }
        }
        return ids
    }

    static func backlog(_ database: GatewayDatabase) async throws -> Int {
        try await database.client.query("""
            SELECT count(*)::int FROM public.gateway_webhook_queue WHERE next_attempt_at < 'infinity' AND last_error IS NULL
            """).collect().first?.decode(Int.self) ?? 0
    }

    /// Waits (at most five minutes) until the inbox processors have caught up.
    static func drain(_ database: GatewayDatabase) async throws {
        let start = ContinuousClock.now
        while try await backlog(database) > 0, ContinuousClock.now - start < .seconds(300) {
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    struct Stats {
        var inbox = 0, processed = 0, failed = 0, tracking = 0, ndr = 0, delivered = 0, rto = 0
    }

    static func stats(_ database: GatewayDatabase) async throws -> Stats {
        let inbox = try await database.client.query("""
            SELECT (SELECT count(*)::int FROM public.gateway_webhook_inbox),
                   (SELECT count(*)::int FROM public.gateway_webhook_inbox) - (SELECT count(*)::int FROM public.gateway_webhook_queue),
                   (SELECT count(*)::int FROM public.gateway_webhook_queue WHERE last_error IS NOT NULL)
            """).collect().first?.decode((Int, Int, Int).self) ?? (0, 0, 0)
        let tenant = try await database.withTenantTransaction(schema: "tenant_" + slug) { db in
            try await db.query("""
                SELECT (SELECT count(*)::int FROM shipment_tracking), (SELECT count(*)::int FROM ndr_records),
                       (SELECT count(*)::int FROM shipments WHERE status = 'delivered'), (SELECT count(*)::int FROM shipments WHERE status = 'rto_delivered')
                """, logger: database.logger).collect().first?.decode((Int, Int, Int, Int).self)
        } ?? (0, 0, 0, 0)
        return Stats(inbox: inbox.0, processed: inbox.1, failed: inbox.2, tracking: tenant.0, ndr: tenant.1, delivered: tenant.2, rto: tenant.3)
    }

    /// The statements that took PostgreSQL's time, most first.
    static func printStatementStats(_ database: GatewayDatabase) async throws {
        let rows = try await database.client.query("""
            SELECT calls::bigint, round(total_exec_time)::bigint, rows::bigint, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15
            """).collect()
        report("PostgreSQL time by statement (calls, total ms, rows, statement):")
        for row in rows {
            let (calls, ms, count, text) = try row.decode((Int, Int, Int, String).self)
            report("  \(calls)\t\(ms)\t\(count)\t\(text)")
        }
    }
}
