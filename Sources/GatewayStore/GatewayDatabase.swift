import Foundation
import Logging
import PostgresNIO

/// The gateway's handle on PostgreSQL: a connection pool plus the rules for
/// using it (tenant transactions set `search_path` locally, so it never leaks
/// to the next user of a pooled connection).
public final class GatewayDatabase: Sendable {
    public let client: PostgresClient
    public let settings: DatabaseSettings
    public let logger: Logger
    private let runTask: Task<Void, Never>

    public init(settings: DatabaseSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        // The pool warns when leased before run() has started, a harmless race with the Task below.
        var backgroundLogger = logger
        backgroundLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: backgroundLogger)
        self.client = client
        self.runTask = Task { await client.run() }
    }

    /// Closes the pool; in-flight queries finish first.
    public func shutdown() async {
        runTask.cancel()
        _ = await runTask.value
    }

    @discardableResult
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { try await body($0) }
    }

    /// BEGIN … COMMIT, rolled back when `body` throws.
    /// Errors thrown by `body` come out as themselves, not wrapped.
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { try await body($0) }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }

    /// A transaction whose unqualified names resolve in the tenant's schema
    /// (then `public`). `set_config(…, true)` is transaction-local.
    @discardableResult
    public func withTenantTransaction<T: Sendable>(
        schema: String, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withTransaction { connection in
            try await connection.setLocalSearchPath(schema: schema, logger: logger)
            return try await body(connection)
        }
    }
}

extension PostgresConnection {
    /// Transaction-local search path `"<schema>", public` (identifier quoted).
    public func setLocalSearchPath(schema: String, includePublic: Bool = true, logger: Logger) async throws {
        let path = SQLIdentifier.quote(schema) + (includePublic ? ", public" : "")
        try await query("SELECT set_config('search_path', \(path), true)", logger: logger)
    }

    /// Runs a script of several statements one by one (see `SQLScript`);
    /// used for migrations, whose files hold many statements.
    public func runScript(_ sql: String, logger: Logger = Logger(label: "gateway.sql")) async throws {
        for statement in SQLScript.statements(sql) {
            try await query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}

/// Identifier quoting for the few places SQL must name a schema dynamically.
public enum SQLIdentifier {
    /// `"name"` with embedded quotes doubled, as PostgreSQL's quote_ident does.
    public static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
