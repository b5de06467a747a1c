import Foundation

/// Errors of the persistence layer. Every case carries enough context for an
/// operator to act on it without reading the code.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case invalidDatabaseURL(String)
    case postgresBinariesNotFound(searched: [String])
    case embeddedPostgresFailed(String)
    case migrationChanged(scope: String, version: Int, name: String)
    case migrationFailed(scope: String, version: Int, name: String, reason: String)
    case tenantExists(String)
    case tenantNotFound(String)
    case planNotFound(String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidDatabaseURL(let why):
            return "invalid DATABASE_URL: \(why) (expected postgres://user[:password]@host:port/database)"
        case .postgresBinariesNotFound(let searched):
            return """
                PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in \(searched.joined(separator: ", ")). \
                Install them (Debian/Ubuntu: apt-get install -y postgresql), point GATEWAY_PG_BIN at their folder, \
                or set DATABASE_URL to use an existing server.
                """
        case .embeddedPostgresFailed(let why):
            return "embedded PostgreSQL failed: \(why)"
        case .migrationChanged(let scope, let version, let name):
            return "migration \(scope) \(version) (\(name)) was changed after it was applied; add a new migration instead of editing an applied one"
        case .migrationFailed(let scope, let version, let name, let reason):
            return "migration \(scope) \(version) (\(name)) failed: \(reason)"
        case .tenantExists(let slug):
            return "tenant '\(slug)' already exists"
        case .tenantNotFound(let slug):
            return "tenant '\(slug)' not found"
        case .planNotFound(let code):
            return "plan '\(code)' not found (see public.plans; sample plans: starter, professional, business, enterprise)"
        case .invalidInput(let why):
            return why
        }
    }

    public var errorDescription: String? { description }
}
