import Foundation
import NIOSSL
import PostgresNIO

/// Where the gateway's PostgreSQL is: a TCP server from `DATABASE_URL`, or a
/// Unix socket (the embedded server, or `?host=/socket/dir` in the URL).
public struct DatabaseSettings: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var requireTLS: Bool

    public init(endpoint: Endpoint, username: String, password: String? = nil, database: String, requireTLS: Bool = false) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.requireTLS = requireTLS
    }

    /// Parses `postgres://user[:pass]@host[:port]/db[?sslmode=require|host=/socket/dir]`.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased())
        else {
            throw StoreError.invalidDatabaseURL("scheme must be postgres:// or postgresql://")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.invalidDatabaseURL("a user name is required")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else {
            throw StoreError.invalidDatabaseURL("a single database name is required in the path")
        }
        if let socketDir = query["host"], socketDir.hasPrefix("/") {
            let port = components.port ?? 5432
            endpoint = .unixSocket(path: "\(socketDir)/.s.PGSQL.\(port)")
        } else {
            guard let host = components.host, !host.isEmpty else {
                throw StoreError.invalidDatabaseURL("a host is required")
            }
            let port = components.port ?? 5432
            guard (1...65535).contains(port) else { throw StoreError.invalidDatabaseURL("port out of range") }
            endpoint = .tcp(host: host, port: port)
        }
        username = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        database = path.removingPercentEncoding ?? path
        let sslmode = query["sslmode"] ?? "disable"
        requireTLS = ["require", "verify-ca", "verify-full"].contains(sslmode)
    }

    /// The same server, another database (tests clone a template per test).
    public func with(database: String) -> DatabaseSettings {
        var copy = self
        copy.database = database
        return copy
    }

    /// Never prints the password.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port): return "postgres://\(username)@\(host):\(port)/\(database)"
        case .unixSocket(let path): return "postgres://\(username)@/\(database)?socket=\(path)"
        }
    }

    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS = requireTLS ? .require(.makeClientConfiguration()) : .disable
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 20
        return configuration
    }
}
