import ArgumentParser
import Foundation
import GatewayStore

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, list and delete tenants.",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant: schema tenant_<slug>, tenants row, subscription.")

        @Argument(help: "Tenant slug: ^[a-z][a-z0-9_]{1,50}$") var slug: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Plan code (starter, professional, business, enterprise), or 'none' for no subscription.")
        var plan: String = "starter"
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let tenant = try await GatewayRuntime(options: database).withDatabase { db in
                try await TenantStore(database: db).create(slug: slug, name: name, planCode: plan == "none" ? nil : plan)
            }
            print("created tenant \(tenant.slug) (schema \(tenant.schemaName), plan \(tenant.plan ?? "none"), id \(tenant.id.uuidString.lowercased()))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")

        @Flag(help: "Print a JSON array.") var json = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let tenants = try await GatewayRuntime(options: database).withDatabase { db in
                try await TenantStore(database: db).list()
            }
            if json {
                print(try CLIJSON.text(tenants))
                return
            }
            if tenants.isEmpty {
                print("no tenants")
                return
            }
            let formatter = ISO8601DateFormatter()
            var rows = [["SLUG", "NAME", "SCHEMA", "STATUS", "PLAN", "CREATED"]]
            for tenant in tenants {
                let plan = tenant.plan.map { "\($0) (\(tenant.subscriptionStatus ?? "-"))" } ?? "-"
                rows.append([tenant.slug, tenant.name, tenant.schemaName, tenant.status, plan, formatter.string(from: tenant.createdAt)])
            }
            print(TextTable.render(rows))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a tenant: drops its schema and its rows in shared tables.")

        @Argument var slug: String
        @Flag(help: "Confirm: deletion cannot be undone.") var yes = false
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard yes else { throw ValidationError("deleting tenant '\(slug)' drops all its data; pass --yes to confirm") }
        }

        func run() async throws {
            try await GatewayRuntime(options: database).withDatabase { db in
                try await TenantStore(database: db).delete(slug: slug)
            }
            print("deleted tenant \(slug)")
        }
    }
}

/// The commands' `--json` output: indented, keys sorted, slashes as written, dates ISO 8601.
enum CLIJSON {
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
