import AdapterCatalog
import AdapterKit
import ArgumentParser
import Foundation
import GatewayEngine
import GatewayStore
import Logging

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (default: $DATABASE_URL, else the embedded server).")
    var databaseURL: String?

    @Option(name: .customLong("state-dir"), help: "Folder for the embedded database and dev key (default: $GATEWAY_STATE_DIR or .gateway).")
    var stateDirectory: String?

    @Flag(name: .shortAndLong, help: "Log progress to stderr.")
    var verbose = false
}

/// Resolves where the database is, starts the embedded server when needed,
/// applies pending migrations, and always cleans up.
struct GatewayRuntime {
    let environment = ProcessInfo.processInfo.environment
    let databaseURL: String?
    let stateDirectoryPath: String?
    let logger: Logger

    init(options: DatabaseOptions) {
        self.init(databaseURL: options.databaseURL, stateDirectory: options.stateDirectory, verbose: options.verbose)
    }

    init(databaseURL: String?, stateDirectory: String?, verbose: Bool) {
        self.databaseURL = databaseURL
        self.stateDirectoryPath = stateDirectory
        LoggingBootstrap.once(level: verbose ? .info : .warning)
        var logger = Logger(label: "gateway")
        logger.logLevel = verbose ? .info : .warning
        self.logger = logger
    }

    var stateDirectory: URL {
        URL(fileURLWithPath: stateDirectoryPath ?? environment["GATEWAY_STATE_DIR"] ?? ".gateway")
    }

    /// The adapter catalog with provider base-URL overrides from the
    /// environment: `GATEWAY_<CODE>_BASE_URL` (e.g. GATEWAY_SHOPIFY_BASE_URL).
    func registry() throws -> AdapterRegistry {
        var registry = try AdapterCatalog.registry()
        for manifest in registry.manifests {
            if let url = environment["GATEWAY_\(manifest.code.uppercased())_BASE_URL"], !url.isEmpty {
                registry.baseURLOverrides[manifest.code] = url
            }
        }
        return registry
    }

    func vault() throws -> CredentialVault {
        try CredentialVault.load(environment: environment, stateDirectory: stateDirectory, logger: logger)
    }

    func withDatabase<T: Sendable>(migrate: Bool = true, _ body: (GatewayDatabase) async throws -> T) async throws -> T {
        var embedded: EmbeddedPostgres?
        let settings: DatabaseSettings
        if let url = databaseURL ?? environment["DATABASE_URL"], !url.isEmpty {
            settings = try DatabaseSettings(url: url)
        } else {
            let server = try EmbeddedPostgres(
                options: .init(dataDirectory: stateDirectory.appendingPathComponent("postgres")), logger: logger)
            embedded = server
            settings = try await server.start()
        }
        let database = GatewayDatabase(settings: settings, logger: logger)
        do {
            if migrate {
                try await Migrator(database: database).migrate()
                try await AdapterTypeSync.sync(try AdapterCatalog.registry(), database: database)
            }
            let result = try await body(database)
            await database.shutdown()
            await embedded?.stop()
            return result
        } catch {
            await database.shutdown()
            await embedded?.stop()
            throw error
        }
    }
}

enum LoggingBootstrap {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var done = false

    /// swift-log may be bootstrapped once per process.
    static func once(level: Logger.Level) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Errors that should reach the user as one line on stderr, exit code given.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 1
}
