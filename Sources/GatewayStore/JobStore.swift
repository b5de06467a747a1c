import Foundation
import Logging
import PostgresNIO

/// A claimed unit of scheduled work. The lease is the claimer's until
/// `leaseExpiresAt`; renew it while working, or another instance takes over.
public struct JobLease: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case channelPull = "channel_pull", trackingPoll = "tracking_poll"
        /// Asks a courier how its queued (asynchronous) NDR requests went; exists while some are queued.
        case ndrFollowUp = "ndr_followup"
    }

    public var id: UUID
    public var tenantID: UUID
    public var tenantSchema: String
    public var kind: Kind
    public var targetID: UUID
    public var intervalSeconds: Int
    public var attempts: Int
    public var owner: String
    /// Milliseconds between when the job was due and when this lease was claimed.
    public var lagMilliseconds: Int = 0
}

/// `public.gateway_jobs`: due jobs are claimed with `FOR UPDATE SKIP LOCKED`,
/// so several gateway processes share the work and never run one job twice
/// at the same time.
public struct JobStore: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// Creates the job, or resumes and reschedules it: first run after `firstRunAfterSeconds`.
    public static func upsert(tenantID: UUID, schema: String, kind: JobLease.Kind, targetID: UUID, intervalSeconds: Int,
                              firstRunAfterSeconds: Int = 0, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO public.gateway_jobs (tenant_id, tenant_schema, kind, target_id, interval_seconds, next_run_at)
            VALUES (\(tenantID), \(schema), \(kind.rawValue), \(targetID), \(intervalSeconds), NOW() + make_interval(secs => \(firstRunAfterSeconds)))
            ON CONFLICT (tenant_schema, kind, target_id) DO UPDATE
            SET interval_seconds = EXCLUDED.interval_seconds, paused = false, paused_reason = NULL, attempts = 0,
                next_run_at = EXCLUDED.next_run_at, updated_at = NOW()
            """, logger: logger)
    }

    /// Claims up to `limit` due jobs (optionally of one tenant or target).
    public func claim(owner: String, limit: Int, lease: Duration, kind: JobLease.Kind? = nil,
                      tenantSchema: String? = nil, targetID: UUID? = nil, ignoringSchedule: Bool = false) async throws -> [JobLease] {
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let kindText = kind?.rawValue
        return try await database.withConnection { connection in
            try await connection.query("""
                UPDATE public.gateway_jobs j SET lease_owner = \(owner), lease_expires_at = NOW() + make_interval(secs => \(seconds)),
                    last_started_at = NOW(), updated_at = NOW()
                WHERE j.id IN (
                    SELECT id FROM public.gateway_jobs
                    WHERE NOT paused AND (\(ignoringSchedule) OR next_run_at <= NOW())
                      AND (lease_expires_at IS NULL OR lease_expires_at < NOW())
                      AND (\(kindText)::text IS NULL OR kind = \(kindText))
                      AND (\(tenantSchema)::text IS NULL OR tenant_schema = \(tenantSchema))
                      AND (\(targetID)::uuid IS NULL OR target_id = \(targetID))
                    ORDER BY next_run_at
                    FOR UPDATE SKIP LOCKED
                    LIMIT \(limit))
                RETURNING j.id, j.tenant_id, j.tenant_schema, j.kind, j.target_id, j.interval_seconds, j.attempts,
                    GREATEST(0, extract(epoch FROM NOW() - j.next_run_at) * 1000)::int8
                """, logger: database.logger).collect().compactMap { row in
                let (id, tenantID, schema, kind, target, interval, attempts, lag) =
                    try row.decode((UUID, UUID, String, String, UUID, Int, Int, Int).self)
                guard let kind = JobLease.Kind(rawValue: kind) else { return nil }
                return JobLease(id: id, tenantID: tenantID, tenantSchema: schema, kind: kind, targetID: target,
                                intervalSeconds: interval, attempts: attempts, owner: owner, lagMilliseconds: lag)
            }
        }
    }

    /// Extends the lease; false when it was lost (expired and taken by another).
    public func renew(_ lease: JobLease, for duration: Duration) async throws -> Bool {
        let seconds = Double(duration.components.seconds)
        return try await database.withConnection { connection in
            try await Self.renew(lease, seconds: seconds, on: connection, logger: database.logger)
        }
    }

    /// Inside the caller's transaction (a page of orders commits with its lease check).
    public static func renew(_ lease: JobLease, seconds: Double, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query("""
            UPDATE public.gateway_jobs SET lease_expires_at = NOW() + make_interval(secs => \(seconds)), updated_at = NOW()
            WHERE id = \(lease.id) AND lease_owner = \(lease.owner) AND lease_expires_at > NOW() RETURNING id
            """, logger: logger).collect()
        return !rows.isEmpty
    }

    public enum Outcome: Sendable {
        case succeeded
        /// Retry later: exponential backoff with jitter.
        case failed(String)
        /// Stop until someone changes the configuration (bad credentials).
        case paused(String)
        /// Nothing left to do: the job is removed (a later need creates it again).
        case done
    }

    public func finish(_ lease: JobLease, _ outcome: Outcome, backoffBase: Double = 30, backoffCap: Double = 3600) async throws {
        let logger = database.logger
        try await database.withConnection { connection in
            switch outcome {
            case .succeeded:
                try await connection.query("""
                    UPDATE public.gateway_jobs SET lease_owner = NULL, lease_expires_at = NULL, attempts = 0, last_error = NULL,
                        last_finished_at = NOW(), next_run_at = NOW() + make_interval(secs => interval_seconds), updated_at = NOW()
                    WHERE id = \(lease.id) AND lease_owner = \(lease.owner)
                    """, logger: logger)
            case .failed(let error):
                // Full jitter: a random delay in [backoff/2, backoff], backoff = base * 2^attempts, capped.
                let backoff = min(backoffCap, backoffBase * pow(2, Double(min(lease.attempts, 20))))
                let delay = Double.random(in: (backoff / 2)...backoff)
                try await connection.query("""
                    UPDATE public.gateway_jobs SET lease_owner = NULL, lease_expires_at = NULL, attempts = attempts + 1,
                        last_error = \(error), last_finished_at = NOW(), next_run_at = NOW() + make_interval(secs => \(delay)), updated_at = NOW()
                    WHERE id = \(lease.id) AND lease_owner = \(lease.owner)
                    """, logger: logger)
            case .done:
                try await connection.query("DELETE FROM public.gateway_jobs WHERE id = \(lease.id) AND lease_owner = \(lease.owner)", logger: logger)
            case .paused(let reason):
                try await connection.query("""
                    UPDATE public.gateway_jobs SET lease_owner = NULL, lease_expires_at = NULL, paused = true, paused_reason = \(reason),
                        last_error = \(reason), last_finished_at = NOW(), updated_at = NOW()
                    WHERE id = \(lease.id) AND lease_owner = \(lease.owner)
                    """, logger: logger)
            }
        }
    }

    /// Who holds the live lease of a target's job, if anyone (a manual pull must not race the scheduler).
    public func leaseHolder(kind: JobLease.Kind, tenantSchema: String, targetID: UUID) async throws -> String? {
        try await database.withConnection { connection in
            try await connection.query("""
                SELECT lease_owner FROM public.gateway_jobs
                WHERE kind = \(kind.rawValue) AND tenant_schema = \(tenantSchema) AND target_id = \(targetID) AND lease_expires_at > NOW()
                """, logger: database.logger).collect().first?.decode(String?.self) ?? nil
        }
    }

    /// Gives back one lease without touching the schedule (work stopped by shutdown, not failed).
    public func release(_ lease: JobLease) async throws {
        try await database.withConnection { connection in
            try await connection.query("""
                UPDATE public.gateway_jobs SET lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW()
                WHERE id = \(lease.id) AND lease_owner = \(lease.owner)
                """, logger: database.logger)
        }
    }

    /// Gives back every lease an instance holds (graceful shutdown).
    public func release(owner: String) async throws {
        try await database.withConnection { connection in
            try await connection.query(
                "UPDATE public.gateway_jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = \(owner)",
                logger: database.logger)
        }
    }
}
