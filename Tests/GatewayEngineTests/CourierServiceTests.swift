import AdapterKit
import Foundation
import GatewayEngine
import GatewayStore
import JSONCore
import MockServers
import PostgresNIO
import Testing
import TestSupport

@Suite("Courier connections")
struct CourierServiceTests {
    @Test func connectValidatesTestsLiveSealsAndSchedulesPolling() async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        let delhivery = try await CourierFixture.delhiveryMock()
        defer { Task { await shiprocket.stop(); await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket, delhivery: delhivery)
            let slug = fixture.tenant.slug
            // Schema problems are named by pointer; nothing is stored.
            await #expect {
                try await fixture.couriers.connect(tenantSlug: slug, code: "delhivery", name: nil, credentials: ["api_token": "short"])
            } throws: { error in
                guard let error = error as? GatewayError, error.code == .credentialsInvalid else { return false }
                return Set(error.problems.map(\.pointer)).isSuperset(of: ["/api_token"]) && !error.problems.isEmpty
            }
            // The live test: a wrong password is refused by Shiprocket.
            await #expect(performing: {
                try await fixture.couriers.connect(tenantSlug: slug, code: "shiprocket", name: nil,
                                                   credentials: ["email": .string(shiprocket.email), "password": "wrong-password"])
            }, throws: hasCode(.credentialsInvalid))
            await #expect(performing: {
                try await fixture.couriers.connect(tenantSlug: slug, code: "shopify", name: nil, credentials: ["shop_domain": "x"])
            }, throws: hasCode(.invalidRequest))
            await #expect(performing: {
                try await fixture.couriers.connect(tenantSlug: "nobody", code: "shiprocket", name: nil, credentials: [:])
            }, throws: hasCode(.tenantNotFound))
            #expect(try await fixture.count("SELECT count(*)::int FROM courier_configs") == 0)

            let sr = try await fixture.connectShiprocket(shiprocket)
            let dl = try await fixture.connectDelhivery(delhivery, isDefault: true)
            #expect(sr.webhookPath == "/webhooks/couriers/tracking/\(sr.id.uuidString.lowercased())")
            // Credentials and the webhook token are sealed at rest.
            let stored = try #require(try await fixture.text("SELECT credentials::text || settings::text FROM courier_configs WHERE id = '\(sr.id)'"))
            #expect(!stored.contains(shiprocket.password) && !stored.contains(shiprocket.webhookToken ?? "-"))
            let listed = try await fixture.couriers.list(tenantSlug: slug)
            #expect(listed.map(\.id) == [sr.id, dl.id])
            #expect(listed.map(\.isDefault) == [false, true])   // the new default took the flag
            #expect(listed.allSatisfy { $0.webhookConfigured && $0.pollIntervalSeconds == 1800 })
            let encoded = String(decoding: try JSONEncoder().encode(listed), as: UTF8.self)
            #expect(!encoded.contains(shiprocket.password) && !encoded.contains(delhivery.apiToken) && !encoded.contains("webhook_token\""))
            let jobs = try await database.client.query("SELECT count(*)::int FROM public.gateway_jobs WHERE kind = 'tracking_poll'").collect()
            #expect(try jobs.first?.decode(Int.self) == 2)

            try await fixture.couriers.disconnect(tenantSlug: slug, courierID: sr.id)
            let after = try await fixture.couriers.list(tenantSlug: slug)
            #expect(after.first { $0.id == sr.id }?.isActive == false && after.first { $0.id == sr.id }?.pollIntervalSeconds == nil)
            await #expect(performing: { try await fixture.couriers.disconnect(tenantSlug: slug, courierID: UUID()) }, throws: hasCode(.notFound))
            // Booking with a disconnected courier is refused.
            let order = try #require(try await fixture.orders(1).first)
            await #expect(performing: { try await fixture.book(order, courier: sr) }, throws: hasCode(.notFound))
        }
    }

    @Test func connectingNeedsShipmentManagement() async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        defer { Task { await shiprocket.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket)
            try await FeatureGate(database: database).setOverride(tenantID: fixture.tenant.id, feature: "shipment_management", enabled: false, reason: "test")
            await #expect(performing: { try await fixture.connectShiprocket(shiprocket) }, throws: hasCode(.featureDisabled))
            #expect(shiprocket.requestLog.all.isEmpty)   // refused before any live call
        }
    }
}
