import Foundation
import GatewayStore
import Logging

/// One real PostgreSQL per test process: the embedded server in a temporary
/// folder (or the server of `GATEWAY_TEST_DATABASE_URL`). Migrations run once
/// into a template database; every test gets its own copy, dropped afterwards,
/// so tests run in parallel without seeing each other.
public actor TestPostgres {
    public static let shared = TestPostgres()

    private var startTask: Task<DatabaseSettings, Error>?
    private var admin: GatewayDatabase?
    private let templateName = "gateway_template"

    public static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }

    /// Settings of the server's maintenance database (`postgres`).
    public func serverSettings() async throws -> DatabaseSettings {
        if let startTask { return try await startTask.value }
        let task = Task { try await Self.startServer() }
        startTask = task
        return try await task.value
    }

    private static func startServer() async throws -> DatabaseSettings {
        let environment = ProcessInfo.processInfo.environment
        let settings: DatabaseSettings
        if let url = environment["GATEWAY_TEST_DATABASE_URL"], !url.isEmpty {
            settings = try DatabaseSettings(url: url)
        } else {
            let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gateway-test-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let server = try EmbeddedPostgres(
                options: .init(dataDirectory: folder.appendingPathComponent("pg"), ephemeral: true, maxConnections: 300),
                logger: logger)
            settings = try await server.start()
            try await server.stopWhenProcessExits(pid: getpid(), removing: folder)
        }
        // The template: every migration applied once.
        let admin = GatewayDatabase(settings: settings, logger: logger)
        try await admin.withConnection { connection in
            // Separate statements: CREATE/DROP DATABASE refuse to run in a (implicit) transaction.
            try await connection.runScript("DROP DATABASE IF EXISTS gateway_template WITH (FORCE)")
            try await connection.runScript("CREATE DATABASE gateway_template")
        }
        await admin.shutdown()
        let template = GatewayDatabase(settings: settings.with(database: "gateway_template"), logger: logger)
        do {
            try await Migrator(database: template).migrate()
        } catch {
            await template.shutdown()
            throw error
        }
        await template.shutdown()
        return settings
    }

    private func adminDatabase() async throws -> GatewayDatabase {
        if let admin { return admin }
        let database = GatewayDatabase(settings: try await serverSettings(), logger: Self.logger)
        admin = database
        return database
    }

    /// A new database: a copy of the migrated template, or empty.
    public func createDatabase(migrated: Bool = true) async throws -> DatabaseSettings {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let template = migrated ? " TEMPLATE \(templateName)" : ""
        try await adminDatabase().withConnection { connection in
            try await connection.runScript("CREATE DATABASE \(name)\(template)")
        }
        return try await serverSettings().with(database: String(name))
    }

    public func dropDatabase(_ name: String) async throws {
        try await adminDatabase().withConnection { connection in
            try await connection.runScript("DROP DATABASE IF EXISTS \(SQLIdentifier.quote(name)) WITH (FORCE)")
        }
    }
}

/// Runs `body` against a fresh database of its own and drops it afterwards.
public func withTestDatabase<T: Sendable>(
    migrated: Bool = true, _ body: (GatewayDatabase) async throws -> T
) async throws -> T {
    let settings = try await TestPostgres.shared.createDatabase(migrated: migrated)
    let database = GatewayDatabase(settings: settings, logger: TestPostgres.logger)
    do {
        let result = try await body(database)
        await database.shutdown()
        try await TestPostgres.shared.dropDatabase(settings.database)
        return result
    } catch {
        await database.shutdown()
        try? await TestPostgres.shared.dropDatabase(settings.database)
        throw error
    }
}

/// Paths the tests read: the repository and the shared design documents beside it.
public enum RepositoryPaths {
    public static func root(file: String = #filePath) -> URL {
        // Tests/<Target>/<File>.swift -> repository root
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared/<name>` beside the repository, or the file named by `envVar`.
    public static func shared(_ name: String, envVar: String, file: String = #filePath) -> URL {
        if let override = ProcessInfo.processInfo.environment[envVar], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return root(file: file).deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(name)
    }
}
