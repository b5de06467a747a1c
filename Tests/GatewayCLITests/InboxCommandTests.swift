import Foundation
import GatewayStore
import JSONCore
import Testing
import TestSupport

/// `gateway inbox status|replay`: what an operator chasing a lost webhook runs.
@Suite("CLI: inbox")
struct InboxCommandTests {
    @Test func statusShowsWhatWaitsAndFailsAndReplayQueuesAgain() async throws {
        let settings = try await TestPostgres.shared.createDatabase()
        defer { Task { try? await TestPostgres.shared.dropDatabase(settings.database) } }
        let env = ["DATABASE_URL": CLIRunner.databaseURL(settings)]
        let database = GatewayDatabase(settings: settings, logger: TestPostgres.logger)
        let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
        let route = WebhookRoute(connectionID: UUID(), tenantID: tenant.id, tenantSchema: tenant.schemaName, kind: "courier", adapterCode: "delhivery")
        let inbox = WebhookInbox(database: database)
        for index in 0..<4 { try await inbox.store(route: route, headers: [], body: Array("{\"n\":\(index)}".utf8), deliveryID: "d-\(index)") }
        // One processed, one retrying, one given up, one due.
        let items = try await inbox.claim(limit: 10).sorted { $0.id.uuidString < $1.id.uuidString }
        #expect(items.count == 4)
        try await inbox.markProcessed(items[0].id)
        try await inbox.markFailed(items[1], error: "Delhivery body without Shipment")
        var exhausted = items[2]
        exhausted.attempts = 10
        try await inbox.markFailed(exhausted, error: "unknown AWB")

        let depth = try await inbox.queueDepth()
        #expect(depth.pending == 2 && depth.retrying == 1 && depth.gaveUp == 1)

        var result = try await CLIRunner.run(["inbox", "status", "--json"], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSON.parse(result.stdout)
        let adapter = try #require(report["adapters"]?.arrayValue?.first)
        #expect(adapter["adapter"] == "delhivery" && adapter["stored"] == 4 && adapter["pending"] == 3)
        #expect(adapter["retrying"] == 1 && adapter["gave_up"] == 1)
        let failures = report["failures"]?.arrayValue ?? []
        #expect(failures.count == 2)
        #expect(Set(failures.compactMap { $0["last_error"]?.stringValue }) == ["Delhivery body without Shipment", "unknown AWB"])
        #expect(failures.contains { $0["last_error"] == "unknown AWB" && $0["next_attempt_at"] == .null })

        result = try await CLIRunner.run(["inbox", "status"], environment: env)
        #expect(result.stdout.contains("gave up (replay)") && result.stdout.contains("delhivery"))

        // Bad input names what is wrong; nothing is queued.
        result = try await CLIRunner.run(["inbox", "replay", "--since", "yesterday"], environment: env)
        #expect(result.status == 2 && result.stderr.contains("--since"))
        result = try await CLIRunner.run(["inbox", "replay", "--since", "2020-01-01T00:00:00Z", "--connection", "nope"], environment: env)
        #expect(result.status == 2 && result.stderr.contains("--connection"))

        result = try await CLIRunner.run(["inbox", "replay", "--since", "2020-01-01T00:00:00Z", "--connection", route.connectionID.uuidString],
                                         environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("queued 4 deliveries"))
        // Every delivery is due again, errors cleared.
        #expect(try await inbox.claim(limit: 10).count == 4)
        #expect(try await inbox.failures().isEmpty)
    }
}
