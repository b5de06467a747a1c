import Foundation
import GatewayStore
import Logging
import Synchronization

/// The database's health, probed in the background: `system.health` and
/// `/readyz` read the last probe and never wait on the database themselves,
/// so a stuck database cannot pile up health checks.
public final class HealthMonitor: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var databaseOK: Bool
        public var checkedAt: Date?
        public var error: String?
    }

    public let database: GatewayDatabase
    public let startedAt: Date
    public let version: String
    let interval: Duration
    let state = Mutex(Snapshot(databaseOK: false, checkedAt: nil, error: "not checked yet"))

    public init(database: GatewayDatabase, version: String = GatewayVersion.current, interval: Duration = .seconds(5)) {
        self.database = database
        self.startedAt = Date()
        self.version = version
        self.interval = interval
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    public var uptimeSeconds: Int { max(0, Int(Date().timeIntervalSince(startedAt))) }

    /// One probe: `SELECT 1` within two seconds.
    @discardableResult
    public func probe() async -> Snapshot {
        let result: Snapshot
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await self.database.withConnection { connection in
                        _ = try await connection.query("SELECT 1", logger: self.database.logger).collect()
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(2))
                    throw HealthProbeTimeout()
                }
                defer { group.cancelAll() }
                try await group.next()
            }
            result = Snapshot(databaseOK: true, checkedAt: Date(), error: nil)
        } catch {
            result = Snapshot(databaseOK: false, checkedAt: Date(), error: error is HealthProbeTimeout ? "no answer within 2 s" : "\(error)")
        }
        state.withLock { $0 = result }
        return result
    }

    /// Probes until cancelled.
    public func run() async {
        while !Task.isCancelled {
            await probe()
            try? await Task.sleep(for: interval)
        }
    }
}

struct HealthProbeTimeout: Error {}

public enum GatewayVersion {
    public static let current = "1.0.0"
}
