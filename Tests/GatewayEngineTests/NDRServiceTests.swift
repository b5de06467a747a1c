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

@Suite("NDR actions")
struct NDRServiceTests {
    static let newAddress = Address(name: "Ananya Iyer", phone: "+919876543210", line1: "House 12, 3rd Cross, Indiranagar",
                                    city: "Bengaluru", state: "Karnataka", postalCode: "560038", landmark: "Opposite the metro station")

    /// Four shipments of `courier` in their first failed attempt, with open NDR cases (by polling).
    static func casesInNDR(_ fixture: CourierFixture, courier: CourierService.Courier, advance: (Int) async -> Void,
                           setScenario: (CourierScenario) -> Void) async throws -> [NDRService.Case] {
        setScenario(.ndrThenDelivered(attempts: 3, reason: .customerUnavailable))
        for order in try await fixture.orders(4) { _ = try await fixture.book(order, courier: courier) }
        await advance(48 * 60)
        try await fixture.pollNow()
        let cases = try await fixture.ndr.list(tenantSlug: fixture.tenant.slug, status: "open")
        #expect(cases.count == 4)
        return cases.sorted { $0.ndrNumber < $1.ndrNumber }
    }

    @Test(arguments: ["shiprocket", "delhivery"])
    func everyActionReachesTheCourierAndIsRecorded(courierCode: String) async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        let delhivery = try await CourierFixture.delhiveryMock()
        defer { Task { await shiprocket.stop(); await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket, delhivery: delhivery)
            let isSR = courierCode == "shiprocket"
            let courier = isSR ? try await fixture.connectShiprocket(shiprocket) : try await fixture.connectDelhivery(delhivery)
            let cases = try await Self.casesInNDR(fixture, courier: courier, advance: { minutes in
                if isSR { await shiprocket.advance(minutes: minutes) } else { await delhivery.advance(minutes: minutes) }
            }, setScenario: { scenario in
                if isSR { shiprocket.setScenarioForNextBookings(scenario, count: 4) } else { delhivery.setScenarioForNextBookings(scenario, count: 4) }
            })
            let log = { isSR ? shiprocket.requestLog.all : delhivery.requestLog.all }
            let slug = fixture.tenant.slug
            let tomorrow = CalendarDate(year: 2030, month: 1, day: 2)

            let reattempt = try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[0].id, action: .reattempt,
                                                         payload: .init(preferredDate: tomorrow, remarks: "Customer home after 6 pm"))
            #expect(reattempt.status == "reattempt_scheduled")
            if isSR {
                #expect(reattempt.outcome == "accepted" && reattempt.courierRequestID == nil)
                #expect(log().contains { $0.path == "/v1/external/ndr/\(cases[0].awb ?? "")/action" && $0.status == 202 })
            } else {
                // Delhivery takes it through its asynchronous API; this mock decides at once, so the
                // first status check already reads it accepted. The request (UPL) id is kept.
                #expect(reattempt.outcome == "accepted" && reattempt.courierRequestID?.isEmpty == false)
                #expect(log().contains { $0.path == "/api/p/update" && $0.status == 200 })
            }
            let address = try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[1].id, action: .changeAddress,
                                                       payload: .init(newAddress: Self.newAddress))
            #expect(address.status == "reattempt_scheduled")
            let phone = try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[2].id, action: .changePhone, payload: .init(newPhone: "98450 12345"))
            let rto = try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[3].id, action: .rto)
            #expect(rto.status == "in_progress")
            if isSR {
                #expect(log().filter { $0.path.hasPrefix("/v1/external/ndr/") && $0.path.hasSuffix("/action") && $0.status == 202 }.count == 4)
            } else {
                #expect(log().filter { $0.path == "/api/p/edit" && $0.status == 200 }.count == 3)   // address, phone, RTO
            }
            // One action row each, by the tenant's system user; the case carries the new contact data.
            #expect(try await fixture.count("SELECT count(*)::int FROM ndr_actions") == 4)
            #expect(try await fixture.count("SELECT count(DISTINCT performed_by)::int FROM ndr_actions") == 1)
            #expect(try await fixture.text("SELECT u.email FROM ndr_actions a JOIN users u ON u.id = a.performed_by LIMIT 1") == NDRService.systemUserEmail)
            #expect(try await fixture.text("SELECT reattempt_date::text FROM ndr_actions WHERE id = '\(reattempt.actionID)'") == "2030-01-02")
            #expect(try await fixture.text("SELECT new_phone FROM ndr_actions WHERE id = '\(phone.actionID)'") == "+919845012345")
            #expect(try await fixture.text("SELECT customer_phone FROM ndr_records WHERE id = '\(cases[2].id)'") == "+919845012345")
            #expect(try await fixture.text("SELECT customer_address->>'postal_code' FROM ndr_records WHERE id = '\(cases[1].id)'") == "560038")
            #expect(try await fixture.text("SELECT delivery_address->>'line1' FROM shipments WHERE awb_number = '\(cases[1].awb ?? "")'") == Self.newAddress.line1)
            let listed = try await fixture.ndr.list(tenantSlug: slug)
            #expect(Set(listed.compactMap(\.lastAction)) == ["reattempt", "change_address", "change_phone", "rto"])

            // The courier acts: the RTO case closes as rto, the re-attempted ones get delivered and resolve.
            if isSR { await shiprocket.advance(minutes: 10 * 24 * 60) } else { await delhivery.advance(minutes: 10 * 24 * 60) }
            try await fixture.pollNow()
            #expect(try await fixture.ndrCase(cases[3].awb ?? "")?.status == "rto")
            if isSR {
                #expect(try await fixture.shipmentStatus(cases[0].awb ?? "") == "delivered")
                #expect(try await fixture.ndrCase(cases[0].awb ?? "")?.resolution == "delivered")
            }
        }
    }

    @Test func closedCasesBadPayloadsAndCourierRefusalsRecordNothing() async throws {
        let shiprocket = try await CourierFixture.shiprocketMock()
        defer { Task { await shiprocket.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket)
            let courier = try await fixture.connectShiprocket(shiprocket)
            let cases = try await Self.casesInNDR(fixture, courier: courier, advance: { await shiprocket.advance(minutes: $0) },
                                                  setScenario: { shiprocket.setScenarioForNextBookings($0, count: 4) })
            let slug = fixture.tenant.slug
            let actions = { shiprocket.requestLog.all.filter { $0.path.hasPrefix("/v1/external/ndr/") && $0.path.hasSuffix("/action") }.count }
            try await database.withTenantTransaction(schema: fixture.tenant.schemaName) { db in
                try await db.query("UPDATE ndr_records SET status = 'resolved', resolution = 'delivered' WHERE id = \(cases[0].id)", logger: fixture.harness.logger)
            }
            await #expect(performing: { try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[0].id, action: .reattempt) }, throws: hasCode(.conflict))
            await #expect(performing: { try await fixture.ndr.action(tenantSlug: slug, ndrID: UUID(), action: .reattempt) }, throws: hasCode(.notFound))
            await #expect(performing: { try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[1].id, action: .changePhone) }, throws: hasCode(.invalidRequest))
            await #expect(performing: { try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[1].id, action: .call) }, throws: hasCode(.invalidRequest))
            await #expect(performing: {
                try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[1].id, action: .reattempt, performedBy: UUID())
            }, throws: hasCode(.invalidRequest))
            #expect(actions() == 0)
            // The courier refuses (server error on every try): nothing is recorded, the case stays open.
            var broken = FaultPlan()
            broken.serverErrorProbability = 1
            broken.pathPrefixes = ["/v1/external/ndr/"]
            shiprocket.faults.set(broken)
            await #expect(performing: { try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[2].id, action: .rto) }, throws: hasCode(.upstreamError))
            shiprocket.faults.set(.none)
            #expect(try await fixture.count("SELECT count(*)::int FROM ndr_actions") == 0)
            #expect(try await fixture.text("SELECT status FROM ndr_records WHERE id = '\(cases[2].id)'") == "open")
            // A real user acts as themself.
            let user = try await database.withTenantTransaction(schema: fixture.tenant.schemaName) { db in
                try await db.query("INSERT INTO users (email, name) VALUES ('ops@acme.in', 'Ops') RETURNING id", logger: fixture.harness.logger)
                    .collect().first?.decode(UUID.self)
            }
            let done = try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[1].id, action: .reattempt, performedBy: user)
            #expect(done.performedBy == user)
            await #expect(performing: { try await fixture.ndr.list(tenantSlug: slug, status: "bogus") }, throws: hasCode(.invalidRequest))
            try await FeatureGate(database: database).setOverride(tenantID: fixture.tenant.id, feature: "ndr_management", enabled: false, reason: "test")
            await #expect(performing: { try await fixture.ndr.list(tenantSlug: slug) }, throws: hasCode(.featureDisabled))
        }
    }
}
