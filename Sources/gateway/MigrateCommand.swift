import AdapterCatalog
import ArgumentParser
import GatewayEngine
import GatewayStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations to public and every tenant schema (safe to run twice)."
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "List pending migrations without applying them.")
    var status = false

    func run() async throws {
        let runtime = GatewayRuntime(options: database)
        try await runtime.withDatabase(migrate: false) { db in
            if status {
                let pending = try await Migrator(database: db).pending()
                print(pending.isEmpty ? "up to date" : pending.joined(separator: "\n"))
                return
            }
            let report = try await Migrator(database: db).migrate()
            let synced = try await AdapterTypeSync.sync(try AdapterCatalog.registry(), database: db)
            for code in synced.inserted { print("registered adapter type \(code)") }
            for code in synced.updated { print("updated adapter type \(code) from its manifest") }
            if report.applied.isEmpty {
                print("up to date (\(report.tenantSchemas) tenant schemas)")
            } else {
                for name in report.applied { print("applied \(name)") }
                print("\(report.applied.count) migrations applied (\(report.tenantSchemas) tenant schemas)")
            }
        }
    }
}
