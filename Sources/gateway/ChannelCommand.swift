import ArgumentParser
import Foundation
import GatewayEngine
import GatewayStore
import JSONCore

/// Operator forms of the engine's channel functions (the RPC exposes the same).
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Connect and list a tenant's sales channels.",
        subcommands: [Connect.self, List.self]
    )

    struct Connect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate, test live, encrypt and store a channel connection.")

        @Argument(help: "Tenant slug.") var tenant: String
        @Argument(help: "Channel adapter code.") var adapter: String
        @Argument(help: "Credentials JSON file, or -.") var credentials: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "Webhook signing secret (Shopify: the app's client secret).") var webhookSecret: String?
        @Option(help: "Seconds between scheduled pulls.") var interval: Int = 300
        @Flag(help: "Skip the live connection test.") var noTest = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let runtime = GatewayRuntime(options: database)
            let json = try InputFile.readJSON(credentials)
            let connected = try await runtime.withDatabase { db in
                let registry = try runtime.registry()
                let service = ChannelService(database: db, registry: registry, vault: try runtime.vault())
                return try await service.connect(tenantSlug: tenant, code: adapter, name: name, credentials: json,
                                                 webhookSecret: webhookSecret, pullIntervalSeconds: interval, testLive: !noTest)
            }
            print("connected \(connected.code) as \(connected.id.uuidString.lowercased()) (\(connected.name))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List channel connections (credentials are never shown).")

        @Argument(help: "Tenant slug.") var tenant: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let runtime = GatewayRuntime(options: database)
            let rows = try await runtime.withDatabase { db in
                let tenant = try await TenantStore(database: db).require(slug: tenant)
                return try await ChannelStore(database: db, vault: try runtime.vault()).list(tenant: tenant)
                    .map { [$0.id.uuidString.lowercased(), $0.code, $0.name, $0.status, $0.lastSyncAt.map { ISO8601DateFormatter().string(from: $0) } ?? "-", $0.syncError ?? ""] }
            }
            print(TextTable.render([["ID", "ADAPTER", "NAME", "STATUS", "LAST SYNC", "ERROR"]] + rows))
        }
    }
}
