import Foundation
import PostgresNIO

/// What operators ask of the inbox when deliveries go missing: how much is
/// waiting, what keeps failing and why (`gateway inbox status`).
extension WebhookInbox {
    /// Deliveries of one adapter, by where they stand.
    public struct Summary: Sendable, Equatable, Codable {
        public var kind: String
        public var adapterCode: String
        /// Stored (processed ones stay until the retention purge).
        public var stored: Int
        /// Not processed yet: due, leased, or waiting for a retry.
        public var pending: Int
        /// Failed at least once and retrying with backoff.
        public var retrying: Int
        /// Failed their last attempt: waiting for an operator's replay.
        public var gaveUp: Int
        public var oldestPendingAt: Date?
        public var lastError: String?

        enum CodingKeys: String, CodingKey {
            case kind, stored, pending, retrying
            case adapterCode = "adapter"
            case gaveUp = "gave_up"
            case oldestPendingAt = "oldest_pending_at"
            case lastError = "last_error"
        }

        /// Absent values as null: the JSON shape does not depend on the data.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(adapterCode, forKey: .adapterCode)
            try c.encode(stored, forKey: .stored)
            try c.encode(pending, forKey: .pending)
            try c.encode(retrying, forKey: .retrying)
            try c.encode(gaveUp, forKey: .gaveUp)
            try c.encode(oldestPendingAt, forKey: .oldestPendingAt)
            try c.encode(lastError, forKey: .lastError)
        }
    }

    /// One delivery that failed processing.
    public struct Failure: Sendable, Equatable, Codable {
        public var id: UUID
        public var tenantSchema: String
        public var connectionID: UUID
        public var adapterCode: String
        public var receivedAt: Date
        public var attempts: Int
        /// Nil once it gave up.
        public var nextAttemptAt: Date?
        public var lastError: String

        enum CodingKeys: String, CodingKey {
            case id, attempts
            case tenantSchema = "tenant_schema"
            case connectionID = "connection_id"
            case adapterCode = "adapter"
            case receivedAt = "received_at"
            case nextAttemptAt = "next_attempt_at"
            case lastError = "last_error"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(tenantSchema, forKey: .tenantSchema)
            try c.encode(connectionID, forKey: .connectionID)
            try c.encode(adapterCode, forKey: .adapterCode)
            try c.encode(receivedAt, forKey: .receivedAt)
            try c.encode(attempts, forKey: .attempts)
            try c.encode(nextAttemptAt, forKey: .nextAttemptAt)   // null: gave up, waits for a replay
            try c.encode(lastError, forKey: .lastError)
        }
    }

    /// The queue's size by state, for the metrics gauge (a small table: one scan).
    public struct QueueDepth: Sendable, Equatable {
        public var pending: Int
        public var retrying: Int
        public var gaveUp: Int
    }

    public func queueDepth() async throws -> QueueDepth {
        try await database.withConnection { connection in
            let row = try await connection.query("""
                SELECT count(*) FILTER (WHERE next_attempt_at < 'infinity')::int,
                       count(*) FILTER (WHERE last_error IS NOT NULL AND next_attempt_at < 'infinity')::int,
                       count(*) FILTER (WHERE next_attempt_at = 'infinity')::int
                FROM public.gateway_webhook_queue
                """, logger: database.logger).collect().first?.decode((Int, Int, Int).self) ?? (0, 0, 0)
            return QueueDepth(pending: row.0, retrying: row.1, gaveUp: row.2)
        }
    }

    public func summary() async throws -> [Summary] {
        try await database.withConnection { connection in
            try await connection.query("""
                SELECT i.kind, i.adapter_code, count(*)::int, count(q.inbox_id)::int,
                       count(*) FILTER (WHERE q.last_error IS NOT NULL AND q.next_attempt_at < 'infinity')::int,
                       count(*) FILTER (WHERE q.next_attempt_at = 'infinity')::int,
                       min(i.received_at) FILTER (WHERE q.inbox_id IS NOT NULL),
                       (array_agg(q.last_error ORDER BY i.received_at DESC) FILTER (WHERE q.last_error IS NOT NULL))[1]
                FROM public.gateway_webhook_inbox i LEFT JOIN public.gateway_webhook_queue q ON q.inbox_id = i.id
                GROUP BY 1, 2 ORDER BY 1, 2
                """, logger: database.logger).collect().map { row in
                let (kind, code, stored, pending, retrying, gaveUp, oldest, error) =
                    try row.decode((String, String, Int, Int, Int, Int, Date?, String?).self)
                return Summary(kind: kind, adapterCode: code, stored: stored, pending: pending, retrying: retrying, gaveUp: gaveUp,
                               oldestPendingAt: oldest, lastError: error)
            }
        }
    }

    /// Failing deliveries, most recent first.
    public func failures(limit: Int = 50) async throws -> [Failure] {
        try await database.withConnection { connection in
            try await connection.query("""
                SELECT i.id, i.tenant_schema, i.connection_id, i.adapter_code, i.received_at, q.attempts,
                       CASE WHEN q.next_attempt_at = 'infinity' THEN NULL ELSE q.next_attempt_at END, q.last_error
                FROM public.gateway_webhook_queue q JOIN public.gateway_webhook_inbox i ON i.id = q.inbox_id
                WHERE q.last_error IS NOT NULL
                ORDER BY i.received_at DESC LIMIT \(limit)
                """, logger: database.logger).collect().map { row in
                let (id, schema, connectionID, code, received, attempts, next, error) =
                    try row.decode((UUID, String, UUID, String, Date, Int, Date?, String).self)
                return Failure(id: id, tenantSchema: schema, connectionID: connectionID, adapterCode: code, receivedAt: received,
                               attempts: attempts, nextAttemptAt: next, lastError: error)
            }
        }
    }
}
