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

/// A tenant with a sales channel, orders, and couriers connected to the mocks.
struct CourierFixture {
    let harness: EngineHarness
    let tenant: Tenant
    static let channelID = UUID(uuidString: "00000000-0000-0000-0000-00000000c0de") ?? UUID()
    static let shiprocketPickup = Address(name: "Warehouse Manager", phone: "+919820012345", line1: "Unit 7, Andheri Industrial Estate",
                                          city: "Mumbai", state: "Maharashtra", postalCode: "400069", email: "warehouse@mock-seller.in",
                                          company: "Mock Seller Pvt Ltd")
    static let delhiveryPickup = Address(name: "Warehouse Manager", phone: "+919810012345", line1: "B-42, Okhla Industrial Area Phase 1",
                                         city: "New Delhi", state: "Delhi", postalCode: "110020", company: "Mock Seller Pvt Ltd")

    static func make(_ database: GatewayDatabase, shiprocket: ShiprocketMock? = nil, delhivery: DelhiveryMock? = nil,
                     plan: String = "enterprise", slug: String = "acme") async throws -> CourierFixture {
        var overrides: [String: String] = [:]
        if let shiprocket { overrides["shiprocket"] = shiprocket.baseURL }
        if let delhivery { overrides["delhivery"] = delhivery.baseURL }
        let harness = try EngineHarness(database: database, overrides: overrides)
        let tenant = try await harness.tenant(slug, plan: plan)
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query("""
                INSERT INTO sales_channels (id, channel_type_code, name, credentials) VALUES (\(channelID), 'shopify', 'Shop', '{}')
                """, logger: harness.logger)
        }
        return CourierFixture(harness: harness, tenant: tenant)
    }

    var shipments: ShipmentService { ShipmentService(database: harness.database, registry: harness.registry, vault: harness.vault) }
    var couriers: CourierService { CourierService(database: harness.database, registry: harness.registry, vault: harness.vault) }
    var ndr: NDRService { NDRService(database: harness.database, registry: harness.registry, vault: harness.vault) }

    /// `count` orders of two lines each (COD 1299.50 + 450.00 = 1749.50, or prepaid), delivering to `pin`.
    func orders(_ count: Int, cod: Bool = true, pin: String = "560034") async throws -> [UUID] {
        let address = #"{"name":"Ananya Iyer","phone":"+919876543210","line1":"Flat 402, Lakshmi Towers, 80 Feet Road","city":"Bengaluru","state":"Karnataka","postal_code":""# + pin + #"","country":"IN"}"#
        var ids: [UUID] = []
        try await harness.database.withTenantTransaction(schema: tenant.schemaName) { db in
            for _ in 0..<count {
                let id = UUID()
                let number = "SH-" + id.uuidString.prefix(8)
                try await db.query("""
                    INSERT INTO orders (id, order_number, channel_id, external_order_id, status, payment_status, customer_name, customer_email,
                        customer_phone, shipping_address, subtotal, total_amount, payment_method, order_date)
                    VALUES (\(id), \(number), \(Self.channelID), \(number), 'confirmed', \(cod ? "cod" : "paid"), 'Ananya Iyer',
                        'ananya.iyer@example.in', '+919876543210', \(address)::jsonb, 1749.50, 1749.50, \(cod ? "cod" : "prepaid"), NOW())
                    """, logger: harness.logger)
                try await db.query("""
                    INSERT INTO order_items (order_id, sku, name, quantity, unit_price, total_amount)
                    VALUES (\(id), 'KURTA-M', 'Cotton Kurta', 1, 1299.50, 1299.50), (\(id), 'DUPATTA', 'Silk Dupatta', 2, 225.00, 450.00)
                    """, logger: harness.logger)
                ids.append(id)
            }
        }
        return ids
    }

    func connectShiprocket(_ mock: ShiprocketMock, isDefault: Bool = true) async throws -> CourierService.Courier {
        try await couriers.connect(tenantSlug: tenant.slug, code: "shiprocket", name: "Shiprocket",
                                   credentials: ["email": .string(mock.email), "password": .string(mock.password)],
                                   isDefault: isDefault, webhookSecret: mock.webhookToken)
    }

    func connectDelhivery(_ mock: DelhiveryMock, isDefault: Bool = false) async throws -> CourierService.Courier {
        try await couriers.connect(tenantSlug: tenant.slug, code: "delhivery", name: "Delhivery",
                                   credentials: ["api_token": .string(mock.apiToken), "pickup_location": "Mock Seller Warehouse"],
                                   isDefault: isDefault, webhookSecret: mock.webhookToken)
    }

    func book(_ order: UUID, courier: CourierService.Courier, key: String? = nil) async throws -> ShipmentService.Booked {
        try await shipments.create(tenantSlug: tenant.slug, orderID: order, courierID: courier.id, idempotencyKey: key ?? "book-\(order)",
                                   package: .init(weightGrams: 450, lengthCM: 20, widthCM: 15, heightCM: 5),
                                   pickupAddress: courier.code == "delhivery" ? Self.delhiveryPickup : Self.shiprocketPickup)
    }

    func count(_ sql: String) async throws -> Int { try await harness.count(tenant, sql) }

    func text(_ sql: String) async throws -> String? {
        try await harness.database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query(PostgresQueryText(sql).query, logger: harness.logger).collect().first?.decode(String?.self)
        }
    }

    static func shiprocketMock(seed: UInt64 = 7) async throws -> ShiprocketMock {
        var options = ShiprocketMockOptions()
        options.seed = seed
        return try await ShiprocketMock.start(options)
    }

    static func delhiveryMock(seed: UInt64 = 7) async throws -> DelhiveryMock {
        var options = DelhiveryMockOptions()
        options.seed = seed
        options.rateLimits = .disabled
        return try await DelhiveryMock.start(options)
    }
}

func hasCode(_ code: GatewayError.Code) -> @Sendable (any Error) -> Bool {
    { ($0 as? GatewayError)?.code == code }
}

@Suite("Shipment service")
struct ShipmentServiceTests {
    @Test(arguments: ["shiprocket", "delhivery"])
    func createStoresTheShipmentWithItsItems(courierCode: String) async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        let delhivery = try await CourierFixture.delhiveryMock()
        defer { Task { await shiprocket.stop(); await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket, delhivery: delhivery)
            let courier = courierCode == "shiprocket" ? try await fixture.connectShiprocket(shiprocket) : try await fixture.connectDelhivery(delhivery)
            let order = try #require(try await fixture.orders(1).first)
            let booked = try await fixture.book(order, courier: courier)
            #expect(!booked.awb.isEmpty && booked.courier == courierCode && booked.status == "manifested")
            #expect(booked.labelURL?.hasPrefix("http") == true)
            #expect(booked.codAmount == "1749.50")
            let stored = try #require(try await fixture.text("""
                SELECT awb_number || '|' || status || '|' || COALESCE(label_url, '') || '|' || cod_amount::text || '|' || COALESCE(shipping_charges::text, '-')
                    || '|' || weight_grams || '|' || (delivery_address->>'postal_code') FROM shipments WHERE id = '\(booked.shipmentID)'
                """))
            let parts = stored.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            #expect(parts[0] == booked.awb && parts[1] == "manifested" && parts[2] == booked.labelURL && parts[3] == "1749.50")
            #expect(parts[5] == "450" && parts[6] == "560034")
            // Shiprocket quotes a charge at booking; Delhivery's create answer has none.
            if courierCode == "shiprocket" { #expect(parts[4] != "-" && Money(string: parts[4]).map { $0 > .zero } == true) }
            #expect(try await fixture.count("SELECT count(*)::int FROM shipment_items WHERE shipment_id = '\(booked.shipmentID)'") == 2)
            #expect(try await fixture.count("SELECT sum(quantity)::int FROM shipment_items WHERE shipment_id = '\(booked.shipmentID)'") == 3)
            #expect(try await fixture.text("SELECT status FROM orders WHERE id = '\(order)'") == "processing")
            // The mock knows the AWB.
            let known = courierCode == "shiprocket" ? shiprocket.simulator.awbs : delhivery.simulator.awbs
            #expect(known == [booked.awb])
        }
    }

    @Test(arguments: ["shiprocket", "delhivery"])
    func concurrentRetriesBookOnce(courierCode: String) async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        let delhivery = try await CourierFixture.delhiveryMock()
        defer { Task { await shiprocket.stop(); await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket, delhivery: delhivery)
            let courier = courierCode == "shiprocket" ? try await fixture.connectShiprocket(shiprocket) : try await fixture.connectDelhivery(delhivery)
            let order = try #require(try await fixture.orders(1).first)
            let results = try await withThrowingTaskGroup(of: ShipmentService.Booked.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await fixture.book(order, courier: courier, key: "retry-key-1") }
                }
                var all: [ShipmentService.Booked] = []
                for try await booked in group { all.append(booked) }
                return all
            }
            #expect(results.count == 8)
            #expect(Set(results.map(\.awb)).count == 1)
            #expect(Set(results.map(\.shipmentID)).count == 1)
            let createPath = courierCode == "shiprocket" ? "/v1/external/orders/create/adhoc" : "/api/cmu/create.json"
            let log = courierCode == "shiprocket" ? shiprocket.requestLog.all : delhivery.requestLog.all
            #expect(log.filter { $0.path == createPath }.count == 1)
            #expect((courierCode == "shiprocket" ? shiprocket.simulator.awbs : delhivery.simulator.awbs).count == 1)
            #expect(try await fixture.count("SELECT count(*)::int FROM shipments") == 1)
            #expect(try await fixture.count("SELECT count(*)::int FROM shipment_items") == 2)
            // A later retry still answers from the key, without calling the courier.
            let again = try await fixture.book(order, courier: courier, key: "retry-key-1")
            #expect(again == results[0])
            #expect((courierCode == "shiprocket" ? shiprocket.requestLog.all : delhivery.requestLog.all).filter { $0.path == createPath }.count == 1)
        }
    }

    @Test func sameKeyForADifferentRequestIsAConflict() async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        defer { Task { await shiprocket.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket)
            let courier = try await fixture.connectShiprocket(shiprocket)
            let orders = try await fixture.orders(2)
            _ = try await fixture.book(orders[0], courier: courier, key: "k-1")
            await #expect(performing: { try await fixture.book(orders[1], courier: courier, key: "k-1") }, throws: hasCode(.conflict))
            #expect(try await fixture.count("SELECT count(*)::int FROM shipments") == 1)
        }
    }

    @Test func unknownOrderAndDisabledFeatureBookNothing() async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        defer { Task { await shiprocket.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket)
            let courier = try await fixture.connectShiprocket(shiprocket)
            await #expect(performing: { try await fixture.book(UUID(), courier: courier, key: "k-unknown") }, throws: hasCode(.notFound))
            // The key was released: the same key works for a real order afterwards.
            let order = try #require(try await fixture.orders(1).first)
            _ = try await fixture.book(order, courier: courier, key: "k-unknown")

            try await FeatureGate(database: database).setOverride(tenantID: fixture.tenant.id, feature: "shipment_management", enabled: false, reason: "test")
            let second = try #require(try await fixture.orders(1).first)
            await #expect(performing: { try await fixture.book(second, courier: courier) }, throws: hasCode(.featureDisabled))
            await #expect(performing: {
                try await fixture.shipments.quote(tenantSlug: fixture.tenant.slug, .init(orderID: second, pickupPostalCode: "400069", weightGrams: 500))
            }, throws: hasCode(.featureDisabled))
            #expect(try await fixture.count("SELECT count(*)::int FROM shipments") == 1)
            #expect(shiprocket.requestLog.all.filter { $0.path == "/v1/external/orders/create/adhoc" }.count == 1)
        }
    }

    @Test func cancelBeforePickupOnlyAndIdempotently() async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        let delhivery = try await CourierFixture.delhiveryMock()
        defer { Task { await shiprocket.stop(); await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket, delhivery: delhivery)
            let sr = try await fixture.connectShiprocket(shiprocket)
            let dl = try await fixture.connectDelhivery(delhivery)
            let orders = try await fixture.orders(3)
            let a = try await fixture.book(orders[0], courier: sr)
            let b = try await fixture.book(orders[1], courier: dl)
            for booked in [a, b] {
                let first = try await fixture.shipments.cancel(tenantSlug: fixture.tenant.slug, shipmentID: booked.shipmentID)
                #expect(first.status == "cancelled" && !first.alreadyCancelled)
                let second = try await fixture.shipments.cancel(tenantSlug: fixture.tenant.slug, shipmentID: booked.shipmentID)
                #expect(second.alreadyCancelled)
                #expect(try await fixture.text("SELECT status FROM shipments WHERE id = '\(booked.shipmentID)'") == "cancelled")
            }
            #expect(shiprocket.requestLog.all.filter { $0.path == "/v1/external/orders/cancel" }.count == 1)
            #expect(delhivery.requestLog.all.filter { $0.path == "/api/p/edit" }.count == 1)
            // Picked up: the state machine refuses, the courier is not called.
            let c = try await fixture.book(orders[2], courier: sr)
            try await database.withTenantTransaction(schema: fixture.tenant.schemaName) { db in
                try await db.query("UPDATE shipments SET status = 'picked' WHERE id = \(c.shipmentID)", logger: fixture.harness.logger)
            }
            await #expect(performing: { try await fixture.shipments.cancel(tenantSlug: fixture.tenant.slug, shipmentID: c.shipmentID) },
                          throws: hasCode(.conflict))
            #expect(shiprocket.requestLog.all.filter { $0.path == "/v1/external/orders/cancel" }.count == 1)
            await #expect(performing: { try await fixture.shipments.cancel(tenantSlug: fixture.tenant.slug, shipmentID: UUID()) },
                          throws: hasCode(.notFound))
        }
    }

    @Test func quoteAcrossCouriersReportsAFailingOne() async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        let delhivery = try await CourierFixture.delhiveryMock()
        defer { Task { await shiprocket.stop(); await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket, delhivery: delhivery)
            let sr = try await fixture.connectShiprocket(shiprocket)
            let dl = try await fixture.connectDelhivery(delhivery)
            let order = try #require(try await fixture.orders(1).first)
            let quote = try await fixture.shipments.quote(tenantSlug: fixture.tenant.slug, .init(orderID: order, pickupPostalCode: "400069", weightGrams: 1200))
            #expect(quote.failures.isEmpty)
            #expect(Set(quote.quotes.map(\.courierID)) == [sr.id, dl.id])
            #expect(quote.quotes.allSatisfy { $0.codAvailable && (Money(string: $0.charge) ?? .zero) > .zero })
            let charges = quote.quotes.compactMap { Money(string: $0.charge) }
            #expect(charges == charges.sorted())
            // Shiprocket's rates now fail every time: reported, Delhivery still quotes.
            var broken = FaultPlan()
            broken.serverErrorProbability = 1
            broken.pathPrefixes = ["/v1/external/courier/serviceability"]
            shiprocket.faults.set(broken)
            let partial = try await fixture.shipments.quote(tenantSlug: fixture.tenant.slug,
                                                            .init(pickupPostalCode: "110020", deliveryPostalCode: "560034", weightGrams: 500))
            #expect(partial.failures.map(\.courierID) == [sr.id])
            #expect(!partial.quotes.isEmpty && partial.quotes.allSatisfy { $0.courierID == dl.id })
            await #expect(performing: {
                try await fixture.shipments.quote(tenantSlug: fixture.tenant.slug, .init(pickupPostalCode: "400069", weightGrams: 500))
            }, throws: hasCode(.invalidRequest))
        }
    }

    @Test func labelAndTrackReadTheStoredShipment() async throws {
        let delhivery = try await CourierFixture.delhiveryMock()
        defer { Task { await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, delhivery: delhivery)
            let dl = try await fixture.connectDelhivery(delhivery, isDefault: true)
            let order = try #require(try await fixture.orders(1).first)
            let booked = try await fixture.book(order, courier: dl)
            let stored = try await fixture.shipments.label(tenantSlug: fixture.tenant.slug, shipmentID: booked.shipmentID)
            #expect(stored.labelURL == booked.labelURL && !stored.regenerated)
            try await database.withTenantTransaction(schema: fixture.tenant.schemaName) { db in
                try await db.query("UPDATE shipments SET label_url = NULL WHERE id = \(booked.shipmentID)", logger: fixture.harness.logger)
            }
            let fresh = try await fixture.shipments.label(tenantSlug: fixture.tenant.slug, shipmentID: booked.shipmentID)
            #expect(fresh.regenerated && fresh.labelURL.hasPrefix("http"))
            #expect(try await fixture.text("SELECT label_url FROM shipments WHERE id = '\(booked.shipmentID)'") == fresh.labelURL)

            await delhivery.advance(minutes: 36 * 60)
            let before = try await fixture.shipments.track(tenantSlug: fixture.tenant.slug, .awb(booked.awb))
            #expect(before.shipment.id == booked.shipmentID && before.events.isEmpty)
            let after = try await fixture.shipments.track(tenantSlug: fixture.tenant.slug, .id(booked.shipmentID), refresh: true)
            #expect(after.refreshedEvents > 0 && after.events.count == after.refreshedEvents)
            #expect(after.shipment.status != "manifested")
            #expect(after.events.map(\.time) == after.events.map(\.time).sorted())
            await #expect(performing: { try await fixture.shipments.track(tenantSlug: fixture.tenant.slug, .awb("NOPE")) }, throws: hasCode(.notFound))
        }
    }
}
