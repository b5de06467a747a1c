import Foundation
import GatewayStore
import PostgresNIO

/// The demo's closing report, read from the tenant's tables.
struct DemoSummary: Sendable {
    let database: GatewayDatabase
    let tenant: String

    var schema: String { "tenant_" + tenant }

    /// Webhooks verified but not yet processed (waits up to 30 s for the inbox to catch up).
    static func pendingInbox(_ database: GatewayDatabase, tenant: String) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let pending = try await database.withConnection { db in
                try await db.query("""
                    SELECT count(*)::int FROM public.gateway_webhook_queue q JOIN public.gateway_webhook_inbox i ON i.id = q.inbox_id
                    WHERE i.tenant_schema = \("tenant_" + tenant) AND q.attempts < 5
                    """, logger: database.logger).collect().first?.decode(Int.self) ?? 0
            }
            if pending == 0 || ContinuousClock.now >= deadline { return pending }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    func rows(_ sql: String) async throws -> [[String]] {
        try await database.withTenantTransaction(schema: schema) { db in
            var rows: [[String]] = []
            for try await row in try await db.query(PostgresQuery(unsafeSQL: sql), logger: database.logger) {
                var cells: [String] = []
                for cell in row { cells.append((try? cell.decode(String?.self)).flatMap { $0 } ?? "-") }
                rows.append(cells)
            }
            return rows
        }
    }

    func print(_ say: DemoOutput) async throws {
        say.blank()
        say.line("SUMMARY for tenant '\(tenant)'")
        say.blank()
        say.line("Orders per channel and status")
        say.line(TextTable.render([["  CHANNEL", "STATUS", "ORDERS"]] + (try await rows("""
            SELECT c.name, o.status, count(*)::text FROM orders o JOIN sales_channels c ON c.id = o.channel_id
            GROUP BY 1, 2 ORDER BY 1, 2
            """)).map { ["  " + $0[0]] + $0.dropFirst() }))
        say.blank()
        say.line("Shipments per courier and status")
        say.line(TextTable.render([["  COURIER", "STATUS", "SHIPMENTS"]] + (try await rows("""
            SELECT c.name, s.status, count(*)::text FROM shipments s JOIN courier_configs c ON c.id = s.courier_config_id
            GROUP BY 1, 2 ORDER BY 1, 2
            """)).map { ["  " + $0[0]] + $0.dropFirst() }))
        say.blank()
        say.line("NDR cases per reason and attempts")
        say.line(TextTable.render([["  REASON", "ATTEMPTS", "STATUS", "RESOLUTION", "CASES"]] + (try await rows("""
            SELECT reason_code, attempt_count::text, status, COALESCE(resolution, '-'), count(*)::text FROM ndr_records
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3
            """)).map { ["  " + $0[0]] + $0.dropFirst() }))
        let totals = try await rows("""
            SELECT (SELECT count(*) FROM public.gateway_webhook_inbox WHERE tenant_schema = '\(schema)' AND kind = 'courier')::text,
                   (SELECT count(*) FROM shipment_tracking)::text,
                   (SELECT count(*) FROM ndr_records)::text,
                   (SELECT count(DISTINCT shipment_id) FROM ndr_records)::text,
                   (SELECT count(*) FROM ndr_actions)::text
            """).first ?? []
        if totals.count == 5 {
            say.blank()
            say.line("Tracking webhooks accepted: \(totals[0]); tracking events stored once each: \(totals[1])")
            say.line("NDR cases: \(totals[2]) for \(totals[3]) shipments (one case per shipment); NDR actions recorded: \(totals[4])")
        }
    }
}
