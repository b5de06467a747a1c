import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("CLI: migrate and tenants")
struct TenantCommandTests {
    @Test func tenantLifecycleAgainstADatabaseURL() async throws {
        let settings = try await TestPostgres.shared.createDatabase(migrated: false)
        defer { Task { try? await TestPostgres.shared.dropDatabase(settings.database) } }
        let env = ["DATABASE_URL": CLIRunner.databaseURL(settings)]

        var result = try await CLIRunner.run(["migrate"], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("applied public/1_seed"))
        result = try await CLIRunner.run(["migrate"], environment: env)
        #expect(result.stdout.hasPrefix("up to date"))

        result = try await CLIRunner.run(["tenant", "create", "acme", "--name", "Acme Retail"], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tenant_acme"))
        result = try await CLIRunner.run(["tenant", "create", "globex", "--name", "Globex", "--plan", "business"], environment: env)
        #expect(result.status == 0)

        result = try await CLIRunner.run(["tenant", "create", "acme", "--name", "Again"], environment: env)
        #expect(result.status != 0)
        #expect(result.stderr.contains("already exists"))
        result = try await CLIRunner.run(["tenant", "create", "Robert'); DROP TABLE tenants;--", "--name", "x"], environment: env)
        #expect(result.status != 0)
        #expect(result.stderr.contains("slug"))

        result = try await CLIRunner.run(["tenant", "list", "--json"], environment: env)
        let tenants = try JSON.parse(result.stdout).arrayValue ?? []
        #expect(tenants.compactMap { $0["slug"]?.stringValue } == ["acme", "globex"])
        #expect(tenants.last?["plan"] == "business")

        result = try await CLIRunner.run(["tenant", "delete", "acme"], environment: env)
        #expect(result.status != 0)   // --yes is required
        result = try await CLIRunner.run(["tenant", "delete", "acme", "--yes"], environment: env)
        #expect(result.status == 0)
        result = try await CLIRunner.run(["tenant", "list"], environment: env)
        #expect(!result.stdout.contains("acme") && result.stdout.contains("globex"))
    }

    @Test func embeddedDatabaseWhenNoURLIsGiven() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-embedded-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var result = try await CLIRunner.run(["tenant", "create", "acme", "--name", "Acme", "--state-dir", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        result = try await CLIRunner.run(["tenant", "list", "--state-dir", folder.path])
        #expect(result.stdout.contains("tenant_acme"))
        // The server is stopped when the command ends.
        let pid = folder.appendingPathComponent("postgres/postmaster.pid")
        #expect(!FileManager.default.fileExists(atPath: pid.path))
    }

    @Test func unusableDatabaseURLIsAClearError() async throws {
        let result = try await CLIRunner.run(["tenant", "list"], environment: ["DATABASE_URL": "mysql://root@localhost/db"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("DATABASE_URL"))
    }
}
