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

extension CourierFixture {
    var trackingPoll: TrackingPoll {
        TrackingPoll(database: harness.database, registry: harness.registry, vault: harness.vault, logger: harness.logger)
    }

    /// Makes every tracking poll due and runs them through a scheduler; returns how many ran.
    @discardableResult
    func pollNow() async throws -> Int {
        _ = try await harness.database.client.query("UPDATE public.gateway_jobs SET next_run_at = NOW() WHERE kind = 'tracking_poll'").collect()
        var options = Scheduler.Options(owner: "poll-test")
        options.concurrency = 8
        return try await Scheduler(options: options, sync: harness.sync, tracking: trackingPoll).runDue(kind: .trackingPoll)
    }

    func shipmentStatus(_ awb: String) async throws -> String? {
        try await text("SELECT status FROM shipments WHERE awb_number = '\(awb)'")
    }

    func ndrCase(_ awb: String) async throws -> (status: String, attempts: Int, resolution: String?)? {
        try await harness.database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query("""
                SELECT n.status, n.attempt_count, n.resolution FROM ndr_records n JOIN shipments s ON s.id = n.shipment_id WHERE s.awb_number = \(awb)
                """, logger: harness.logger).collect().first?.decode((String, Int, String?).self)
        }.map { (status: $0.0, attempts: $0.1, resolution: $0.2) }
    }
}

@Suite("Tracking polls")
struct TrackingPollTests {
    @Test func pollsFollowTheSimulatorForBothCouriers() async throws {
        let shiprocket = try await CourierFixture.shiprocketMock(seed: 11)
        let delhivery = try await CourierFixture.delhiveryMock(seed: 11)
        defer { Task { await shiprocket.stop(); await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, shiprocket: shiprocket, delhivery: delhivery)
            let sr = try await fixture.connectShiprocket(shiprocket)
            let dl = try await fixture.connectDelhivery(delhivery)
            // Shiprocket: one of each journey; Delhivery: 55 shipments, more than one 50-waybill batch.
            let srScenarios: [CourierScenario] = [.delivered, .ndrThenDelivered(attempts: 2, reason: .customerUnavailable),
                                                  .ndrThenRTO(attempts: 1, reason: .refused)]
            for scenario in srScenarios { shiprocket.setScenarioForNextBookings(scenario) }
            delhivery.setScenarioForNextBookings(.ndrThenDelivered(attempts: 1, reason: .wrongAddress), count: 5)
            delhivery.setScenarioForNextBookings(.delivered, count: 50)
            var srAWBs: [String] = []
            for order in try await fixture.orders(srScenarios.count) { srAWBs.append(try await fixture.book(order, courier: sr).awb) }
            var dlAWBs: [String] = []
            for order in try await fixture.orders(55) { dlAWBs.append(try await fixture.book(order, courier: dl).awb) }

            // Two days in: everything has moved, the NDR journeys are in their first failed attempt.
            await shiprocket.advance(minutes: 48 * 60)
            await delhivery.advance(minutes: 48 * 60)
            let trackCallsBefore = delhivery.requestLog.all.filter { $0.path == "/api/v1/packages/json/" && $0.query.contains("waybill=") }.count
            #expect(try await fixture.pollNow() == 2)
            let trackCalls = delhivery.requestLog.all.filter { $0.path == "/api/v1/packages/json/" && $0.query.contains("waybill=") }.count
            #expect(trackCalls - trackCallsBefore == 2)   // 50 + 5 waybills
            for awb in srAWBs + dlAWBs {
                let inNDR = srAWBs.contains(awb) ? shiprocket.simulator.isInNDR(awb: awb) : delhivery.simulator.isInNDR(awb: awb)
                let status = try await fixture.shipmentStatus(awb)
                #expect(status != "manifested", "\(awb) did not move")
                if inNDR {
                    let ndr = try #require(try await fixture.ndrCase(awb), "\(awb) in NDR at the courier without a case")
                    #expect(ndr.status == "open" && ndr.attempts == 1)
                }
            }
            #expect(try await fixture.count("SELECT count(*)::int FROM ndr_records") >= 2)

            // Two weeks later every journey has ended; a poll brings the final states.
            await shiprocket.advance(minutes: 14 * 24 * 60)
            await delhivery.advance(minutes: 14 * 24 * 60)
            #expect(try await fixture.pollNow() == 2)
            #expect(try await fixture.shipmentStatus(srAWBs[0]) == "delivered")
            #expect(try await fixture.ndrCase(srAWBs[0]) == nil)
            #expect(try await fixture.shipmentStatus(srAWBs[1]) == "delivered")
            let resolved = try #require(try await fixture.ndrCase(srAWBs[1]))
            #expect(resolved.status == "resolved" && resolved.resolution == "delivered" && resolved.attempts == 2)
            #expect(try await fixture.shipmentStatus(srAWBs[2]) == "rto_delivered")
            let rto = try #require(try await fixture.ndrCase(srAWBs[2]))
            #expect(rto.status == "rto" && rto.resolution == "rto" && rto.attempts == 1)
            for awb in dlAWBs { #expect(try await fixture.shipmentStatus(awb) == "delivered") }
            #expect(try await fixture.count("SELECT count(*)::int FROM ndr_records WHERE status = 'resolved' AND attempt_count = 1 AND reason_code = 'wrong_address'") == 5)
            #expect(try await fixture.count("SELECT count(*)::int FROM ndr_records") == 7)
            #expect(try await fixture.count("SELECT count(*)::int FROM orders WHERE status = 'delivered'") == 57)

            // Nothing open is left: a further poll asks the couriers nothing.
            let requests = delhivery.requestLog.all.count + shiprocket.requestLog.all.count
            #expect(try await fixture.pollNow() == 2)
            #expect(delhivery.requestLog.all.count + shiprocket.requestLog.all.count == requests)
        }
    }

    @Test func aDisconnectedCourierPausesItsPoll() async throws {
        let delhivery = try await CourierFixture.delhiveryMock()
        defer { Task { await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, delhivery: delhivery)
            let dl = try await fixture.connectDelhivery(delhivery)
            #expect(try await database.client.query("SELECT count(*)::int FROM public.gateway_jobs WHERE kind = 'tracking_poll' AND target_id = \(dl.id)")
                .collect().first?.decode(Int.self) == 1)
            // A job left behind by a configuration that went inactive by other means is paused, not retried.
            try await database.withTenantTransaction(schema: fixture.tenant.schemaName) { db in
                try await db.query("UPDATE courier_configs SET is_active = false WHERE id = \(dl.id)", logger: fixture.harness.logger)
            }
            #expect(try await fixture.pollNow() == 1)
            let paused = try await database.client.query("SELECT paused FROM public.gateway_jobs WHERE target_id = \(dl.id)").collect().first?.decode(Bool.self)
            #expect(paused == true)
        }
    }
}
