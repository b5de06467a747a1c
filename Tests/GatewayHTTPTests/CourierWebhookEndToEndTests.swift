import AdapterCatalog
import AdapterKit
import Foundation
import GatewayEngine
import GatewayModel
import GatewayStore
import JSONCore
import MockServers
import PostgresNIO
import Testing
import TestSupport

/// Shipments booked through ShipmentService at the mocks; the mocks' webhook
/// pushers deliver every journey (twice each, shuffled) to the running
/// WebhookServer; the inbox processor ingests. Final states must match.
@Suite("Courier webhooks end to end")
struct CourierWebhookEndToEndTests {
    static let pickupSR = Address(name: "Warehouse", phone: "+919820012345", line1: "Unit 7, Andheri Industrial Estate", city: "Mumbai",
                                  state: "Maharashtra", postalCode: "400069", email: "warehouse@mock-seller.in")
    static let pickupDL = Address(name: "Warehouse", phone: "+919810012345", line1: "B-42, Okhla Industrial Area", city: "New Delhi",
                                  state: "Delhi", postalCode: "110020")
    static let scenarios: [CourierScenario] = [.delivered, .ndrThenDelivered(attempts: 2, reason: .customerUnavailable),
                                               .ndrThenRTO(attempts: 1, reason: .refused), .ndrThenRTO(attempts: 3, reason: .wrongAddress)]

    static func delivery() -> WebhookDeliveryConfig {
        var config = WebhookDeliveryConfig()
        config.duplicates = 2
        config.shuffleWindow = 8
        config.seed = 99
        return config
    }

    func insertOrders(_ database: GatewayDatabase, _ tenant: Tenant, count: Int) async throws -> [UUID] {
        let address = #"{"name":"Ananya Iyer","phone":"+919876543210","line1":"Flat 402, 80 Feet Road","city":"Bengaluru","state":"Karnataka","postal_code":"560034","country":"IN"}"#
        let channel = UUID()
        let ids = (0..<count).map { _ in UUID() }
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query("INSERT INTO sales_channels (id, channel_type_code, name, credentials) VALUES (\(channel), 'shopify', 'Shop', '{}')",
                               logger: database.logger)
            for (index, id) in ids.enumerated() {
                try await db.query("""
                    INSERT INTO orders (id, order_number, channel_id, external_order_id, status, payment_status, customer_name, customer_email, customer_phone,
                        shipping_address, subtotal, total_amount, payment_method, order_date)
                    VALUES (\(id), \("SH-\(index)"), \(channel), \("\(index)"), 'confirmed', 'cod', 'Ananya Iyer', 'ananya@example.in', '+919876543210', \(address)::jsonb,
                        2500, 2500, 'cod', NOW())
                    """, logger: database.logger)
                try await db.query("INSERT INTO order_items (order_id, name, quantity, unit_price, total_amount) VALUES (\(id), 'Kurta', 1, 2500, 2500)",
                                   logger: database.logger)
            }
        }
        return ids
    }

    /// Processing by polling the inbox table, or through the in-memory handoff with a
    /// running processor whose table poll is an hour away (so the handoff did it all).
    enum Processing: String, CaseIterable, CustomTestStringConvertible {
        case polledInbox, handoff
        var testDescription: String { rawValue }
    }

    @Test(arguments: Processing.allCases)
    func lifecyclesWithDuplicatesShufflesNDRsAndRTOs(_ processing: Processing) async throws {
        var srOptions = ShiprocketMockOptions()
        srOptions.seed = 5
        srOptions.webhookDelivery = Self.delivery()
        let shiprocket = try await ShiprocketMock.start(srOptions)
        var dlOptions = DelhiveryMockOptions()
        dlOptions.seed = 5
        dlOptions.rateLimits = .disabled
        dlOptions.webhookDelivery = Self.delivery()
        let delhivery = try await DelhiveryMock.start(dlOptions)
        defer { Task { await shiprocket.stop(); await delhivery.stop() } }
        try await withTestDatabase { database in
            var registry = try AdapterCatalog.registry()
            registry.baseURLOverrides = ["shiprocket": shiprocket.baseURL, "delhivery": delhivery.baseURL]
            registry.transport.policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(10), maxDelay: .milliseconds(200))
            let vault = CredentialVault(current: MasterKey.generate())
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            let couriers = CourierService(database: database, registry: registry, vault: vault)
            let sr = try await couriers.connect(tenantSlug: "acme", code: "shiprocket", name: nil,
                                                credentials: ["email": .string(shiprocket.email), "password": .string(shiprocket.password)],
                                                isDefault: true, webhookSecret: shiprocket.webhookToken)
            let dl = try await couriers.connect(tenantSlug: "acme", code: "delhivery", name: nil,
                                                credentials: ["api_token": .string(delhivery.apiToken), "pickup_location": "Mock Seller Warehouse"],
                                                webhookSecret: delhivery.webhookToken)
            let service = ShipmentService(database: database, registry: registry, vault: vault)
            let orders = try await insertOrders(database, tenant, count: Self.scenarios.count * 2)
            var expected: [String: CourierScenario] = [:]
            for (index, order) in orders.enumerated() {
                let scenario = Self.scenarios[index % Self.scenarios.count]
                let useSR = index < Self.scenarios.count
                if useSR { shiprocket.setScenarioForNextBookings(scenario) } else { delhivery.setScenarioForNextBookings(scenario) }
                let booked = try await service.create(tenantSlug: "acme", orderID: order, courierID: useSR ? sr.id : dl.id, idempotencyKey: "e2e-\(index)",
                                                      package: .init(weightGrams: 500), pickupAddress: useSR ? Self.pickupSR : Self.pickupDL)
                expected[booked.awb] = scenario
            }
            let handoff = processing == .handoff ? InboxHandoff() : nil
            let processor = InboxProcessor(database: database, registry: registry, logger: TestPostgres.logger, handoff: handoff)
            let running = handoff == nil ? nil : Task { await processor.run(pollInterval: .seconds(3600)) }
            defer { running?.cancel() }
            /// Until nothing stored is left unprocessed: the poller's turn, or the handoff's.
            func settle() async throws {
                if handoff == nil {
                    while try await processor.processDue() > 0 {}
                    return
                }
                while try await unprocessed(database) > 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            try await WebhookServerTests.withServer(database: database, registry: registry, vault: vault, handoff: handoff) { base in
                shiprocket.webhookURL = base + sr.webhookPath
                delhivery.webhookURL = base + "/webhooks/couriers/delhivery/" + dl.id.uuidString.lowercased()
                // Half-day steps: each push holds several events per shipment, shuffled, each sent twice.
                for _ in 0..<30 {
                    await shiprocket.advance(minutes: 12 * 60)
                    await delhivery.advance(minutes: 12 * 60)
                    try await settle()
                }
                let srReport = await shiprocket.drainWebhooks()
                let dlReport = await delhivery.drainWebhooks()
                #expect(srReport.pending == 0 && dlReport.pending == 0)
                try await settle()
            }
            // Every delivery was acknowledged (duplicates included), none is left failing in the inbox.
            #expect(shiprocket.webhooks.log.allSatisfy(\.acknowledged) && delhivery.webhooks.log.allSatisfy(\.acknowledged))
            #expect(shiprocket.webhooks.log.count > 40 && delhivery.webhooks.log.count > 40)
            #expect(try await unprocessed(database) == 0)
            // The webhook tokens were checked, not stored: each row's credential header reads "[redacted]".
            let credentials = try await database.client.query("""
                SELECT adapter_code, headers->>'x-api-key', headers->>'authorization', position(\(shiprocket.webhookToken) IN headers::text) > 0
                       OR position(\(delhivery.webhookToken) IN headers::text) > 0
                FROM public.gateway_webhook_inbox
                """).collect().map { try $0.decode((String, String?, String?, Bool).self) }
            #expect(credentials.count > 80 && !credentials.contains { $0.3 })
            #expect(credentials.filter { $0.0 == "shiprocket" }.allSatisfy { $0.1 == "[redacted]" })
            #expect(credentials.filter { $0.0 == "delhivery" }.allSatisfy { $0.2 == "[redacted]" })
            if let handoff {
                // Nothing was left for the table poll: every stored delivery went through memory.
                let stored = try await database.client.query("SELECT count(*)::int FROM public.gateway_webhook_inbox").collect()
                    .first?.decode(Int.self)
                #expect(stored == handoff.takenTotal)
            }

            for (awb, scenario) in expected {
                let row = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                    try await db.query("""
                        SELECT s.status, o.status, n.status, n.attempt_count, n.resolution, (SELECT count(*)::int FROM ndr_records x WHERE x.shipment_id = s.id),
                               s.rto_delivered_at IS NOT NULL, s.delivered_at IS NOT NULL
                        FROM shipments s JOIN orders o ON o.id = s.order_id LEFT JOIN ndr_records n ON n.shipment_id = s.id WHERE s.awb_number = \(awb)
                        """, logger: database.logger).collect().first?.decode((String, String, String?, Int?, String?, Int, Bool, Bool).self)
                }
                let r = try #require(row)
                switch scenario {
                case .delivered:
                    #expect(r.0 == "delivered" && r.1 == "delivered" && r.5 == 0 && r.7, "\(awb) \(scenario)")
                case let .ndrThenDelivered(attempts, _):
                    #expect(r.0 == "delivered" && r.1 == "delivered" && r.7, "\(awb) \(scenario)")
                    #expect(r.5 == 1 && r.2 == "resolved" && r.4 == "delivered" && r.3 == attempts, "\(awb) \(scenario): \(r)")
                case let .ndrThenRTO(attempts, _):
                    #expect(r.0 == "rto_delivered" && r.1 == "returned" && r.6 && !r.7, "\(awb) \(scenario)")
                    #expect(r.5 == 1 && r.2 == "rto" && r.4 == "rto" && r.3 == attempts, "\(awb) \(scenario): \(r)")
                case .cancelled:
                    break
                }
            }
            // Each stored event is there once although every webhook came twice.
            let duplicates = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("""
                    SELECT count(*)::int FROM (SELECT shipment_id, status_code, event_time FROM shipment_tracking GROUP BY 1, 2, 3 HAVING count(*) > 1) d
                    """, logger: database.logger).collect().first?.decode(Int.self)
            }
            #expect(duplicates == 0)
        }
    }

    func unprocessed(_ database: GatewayDatabase) async throws -> Int {
        try await database.client.query("SELECT count(*)::int FROM public.gateway_webhook_queue").collect()
            .first?.decode(Int.self) ?? -1
    }
}
