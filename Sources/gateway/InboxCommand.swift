import ArgumentParser
import Foundation
import GatewayModel
import GatewayStore

/// The durable webhook inbox, for operators chasing a delivery: what waits,
/// what fails and why, and replay after a fix.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Inspect and replay stored webhook deliveries.",
        subcommands: [Status.self, Replay.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliveries per adapter (stored, pending, retrying, gave up) and the failing ones with their errors.")

        @Option(help: "Failing deliveries to list (0: none).") var failures = 20
        @Flag(help: "Print JSON: {\"adapters\": [...], \"failures\": [...]}.") var json = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard (0...1000).contains(failures) else { throw CommandFailure(description: "--failures must be 0 to 1000", exitCode: 2) }
            let (summary, failing) = try await GatewayRuntime(options: database).withDatabase { db in
                let inbox = WebhookInbox(database: db)
                return (try await inbox.summary(), failures > 0 ? try await inbox.failures(limit: failures) : [])
            }
            if json {
                struct Report: Encodable {
                    var adapters: [WebhookInbox.Summary]
                    var failures: [WebhookInbox.Failure]
                }
                print(try CLIJSON.text(Report(adapters: summary, failures: failing)))
                return
            }
            guard !summary.isEmpty else {
                print("the inbox is empty")
                return
            }
            var rows = [["KIND", "ADAPTER", "STORED", "PENDING", "RETRYING", "GAVE UP", "OLDEST PENDING"]]
            for s in summary {
                rows.append([s.kind, s.adapterCode, "\(s.stored)", "\(s.pending)", "\(s.retrying)", "\(s.gaveUp)",
                             s.oldestPendingAt.map(DateCoding.format) ?? "-"])
            }
            print(TextTable.render(rows))
            guard !failing.isEmpty else { return }
            print("")
            var failureRows = [["DELIVERY", "ADAPTER", "TENANT", "RECEIVED", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"]]
            for f in failing {
                failureRows.append([f.id.uuidString.lowercased(), f.adapterCode, f.tenantSchema, DateCoding.format(f.receivedAt), "\(f.attempts)",
                                    f.nextAttemptAt.map(DateCoding.format) ?? "gave up (replay)", String(f.lastError.prefix(120))])
            }
            print(TextTable.render(failureRows))
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue stored deliveries for processing again (idempotent: what was applied stays applied once).",
            discussion: "Example: gateway inbox replay --since 2026-11-25T00:00:00Z --connection <courier-or-channel-id>")

        @Option(help: "Deliveries received at or after this time (ISO 8601 with an offset).") var since: String
        @Option(help: "Only this connection's deliveries (the id in its webhook URL).") var connection: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let from = DateCoding.parse(since) else {
                throw CommandFailure(description: "--since '\(since)' is not an ISO 8601 time with an offset (2026-11-25T00:00:00Z)", exitCode: 2)
            }
            var connectionID: UUID?
            if let connection {
                guard let id = UUID(uuidString: connection) else {
                    throw CommandFailure(description: "--connection '\(connection)' is not a connection id (UUID)", exitCode: 2)
                }
                connectionID = id
            }
            let queued = try await GatewayRuntime(options: database).withDatabase { db in
                try await WebhookInbox(database: db).replay(connectionID: connectionID, since: from)
            }
            print("queued \(queued) deliver\(queued == 1 ? "y" : "ies") for processing; a running `gateway serve` picks them up within a second")
        }
    }
}
