import AdapterKit
import Foundation
import GatewayEngine
import GatewayModel
import GatewayStore
import MockServers
import PostgresNIO
import Testing
import TestSupport

extension CourierFixture {
    var followUp: NDRFollowUp {
        NDRFollowUp(database: harness.database, registry: harness.registry, vault: harness.vault, logger: harness.logger)
    }

    /// Makes the NDR follow-up jobs due and runs them through a scheduler; returns how many ran.
    @discardableResult
    func followUpNow() async throws -> Int {
        _ = try await harness.database.client.query("UPDATE public.gateway_jobs SET next_run_at = NOW() WHERE kind = 'ndr_followup'").collect()
        return try await Scheduler(options: .init(owner: "follow-up-test"), sync: harness.sync, followUp: followUp).runDue(kind: .ndrFollowUp)
    }

    func actionOutcome(_ id: UUID) async throws -> String? {
        try await text("SELECT outcome FROM ndr_actions WHERE id = '\(id)'")
    }
}

/// Delhivery decides NDR requests later (docs/adr/0017): the gateway comes back
/// for the answer and reopens a case whose re-attempt was refused.
@Suite("NDR follow-up of queued courier requests")
struct NDRFollowUpTests {
    static func slowDeciderMock() async throws -> DelhiveryMock {
        var options = DelhiveryMockOptions()
        options.seed = 11
        options.rateLimits = .disabled
        options.ndrDecisionSeconds = 3600
        return try await DelhiveryMock.start(options)
    }

    /// Four Delhivery shipments in NDR with open cases, at a Delhivery that decides NDR requests an hour later.
    static func withCasesInNDR(_ body: (GatewayDatabase, CourierFixture, DelhiveryMock, [NDRService.Case]) async throws -> Void) async throws {
        let delhivery = try await slowDeciderMock()
        defer { Task { await delhivery.stop() } }
        try await withTestDatabase { database in
            let fixture = try await CourierFixture.make(database, delhivery: delhivery)
            let courier = try await fixture.connectDelhivery(delhivery)
            let cases = try await NDRServiceTests.casesInNDR(fixture, courier: courier, advance: { await delhivery.advance(minutes: $0) },
                                                             setScenario: { delhivery.setScenarioForNextBookings($0, count: 4) })
            try await body(database, fixture, delhivery, cases)
        }
    }

    @Test func queuedRequestsAreAskedAboutUntilDecidedAndARefusalReopensTheCase() async throws {
        try await Self.withCasesInNDR { _, fixture, delhivery, cases in
            let slug = fixture.tenant.slug
            let awb = try #require(cases[0].awb)

            // Not decided yet: recorded as queued, the case waits for the re-attempt, a follow-up job exists.
            let first = try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[0].id, action: .reattempt)
            #expect(first.outcome == "queued" && first.status == "reattempt_scheduled")
            #expect(try await fixture.harness.database.client.query(
                "SELECT count(*)::int FROM public.gateway_jobs WHERE kind = 'ndr_followup'").collect().first?.decode(Int.self) == 1)
            #expect(try await fixture.ndr.list(tenantSlug: slug).first { $0.id == cases[0].id }?.lastActionOutcome == "queued")

            // Asked before Delhivery decided: still queued, the job stays.
            #expect(try await fixture.followUpNow() == 1)
            #expect(try await fixture.actionOutcome(first.actionID) == "queued")
            let statusCalls = { delhivery.requestLog.all.filter { $0.path.hasPrefix("/api/cmu/get_bulk_upl/") }.count }
            let callsAfterFirstCheck = statusCalls()

            // 13 h later the package is out for delivery again; a second re-attempt request is
            // refused by Delhivery's rules (not Pending any more), but only decided an hour later.
            await delhivery.advance(minutes: 13 * 60)
            let second = try await fixture.ndr.action(tenantSlug: slug, ndrID: cases[0].id, action: .reattempt, payload: .init(remarks: "customer called again"))
            #expect(second.outcome == "queued")
            #expect(try await fixture.followUpNow() == 1)
            #expect(statusCalls() > callsAfterFirstCheck)
            #expect(try await fixture.actionOutcome(first.actionID) == "accepted")
            #expect(try await fixture.actionOutcome(second.actionID) == "queued")
            // The first answer belongs to an action that is no longer the case's latest: the case is untouched.
            #expect(try await fixture.ndrCase(awb)?.status == "reattempt_scheduled")

            await delhivery.advance(minutes: 61)
            #expect(try await fixture.followUpNow() == 1)
            #expect(try await fixture.actionOutcome(second.actionID) == "rejected")
            #expect(try await fixture.text("SELECT metadata->>'courier_remark' FROM ndr_actions WHERE id = '\(second.actionID)'")?
                .contains("not eligible") == true)
            let reopened = try #require(try await fixture.ndr.list(tenantSlug: slug).first { $0.id == cases[0].id })
            #expect(reopened.status == "open" && reopened.lastActionOutcome == "rejected")
            // Nothing queued any more: the job removed itself, and another run finds nothing to do.
            #expect(try await fixture.harness.database.client.query(
                "SELECT count(*)::int FROM public.gateway_jobs WHERE kind = 'ndr_followup'").collect().first?.decode(Int.self) == 0)
            #expect(try await fixture.followUpNow() == 0)
        }
    }

    @Test func anUnansweredRequestIsMarkedUnconfirmedAfterTheGiveUpTime() async throws {
        try await Self.withCasesInNDR { database, fixture, _, cases in
            let action = try await fixture.ndr.action(tenantSlug: fixture.tenant.slug, ndrID: cases[1].id, action: .reattempt)
            #expect(action.outcome == "queued")
            var followUp = fixture.followUp
            followUp.giveUpAfter = .zero
            try await Task.sleep(for: .milliseconds(1100))
            let lease = try #require(try await JobStore(database: database).claim(owner: "t", limit: 1, lease: .seconds(60), kind: .ndrFollowUp,
                                                                                  ignoringSchedule: true).first)
            let result = try await followUp.run(lease)
            #expect(result.unconfirmed == 1 && result.remaining == 0)
            #expect(try await fixture.actionOutcome(action.actionID) == "unconfirmed")
            // The case keeps waiting for the courier's scans; only the action is no longer asked about.
            #expect(try await fixture.ndrCase(cases[1].awb ?? "")?.status == "reattempt_scheduled")
        }
    }
}
