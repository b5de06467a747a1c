import Foundation
import JSONCore
import Logging
import PostgresNIO
import Synchronization

/// Where an inbound webhook goes: the URL names a connection; this is its tenant.
public struct WebhookRoute: Sendable, Equatable {
    public var connectionID: UUID
    public var tenantID: UUID
    public var tenantSchema: String
    public var kind: String
    public var adapterCode: String

    public init(connectionID: UUID, tenantID: UUID, tenantSchema: String, kind: String, adapterCode: String) {
        self.connectionID = connectionID
        self.tenantID = tenantID
        self.tenantSchema = tenantSchema
        self.kind = kind
        self.adapterCode = adapterCode
    }
}

public struct InboxItem: Sendable {
    public var id: UUID
    public var route: WebhookRoute
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var attempts: Int
}

/// The durable inbox: a verified webhook is stored here before its sender
/// gets a 200, then processed asynchronously and idempotently; the raw body
/// stays for replay.
public struct WebhookInbox: Sendable {
    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    public func route(connectionID: UUID) async throws -> WebhookRoute? {
        try await database.withConnection { connection in
            try await connection.query("""
                SELECT tenant_id, tenant_schema, kind, adapter_code FROM public.gateway_connection_routes WHERE connection_id = \(connectionID)
                """, logger: database.logger).collect().first.map { row in
                let (tenant, schema, kind, code) = try row.decode((UUID, String, String, String).self)
                return WebhookRoute(connectionID: connectionID, tenantID: tenant, tenantSchema: schema, kind: kind, adapterCode: code)
            }
        }
    }

    /// Stores the delivery; a repeated delivery id is not stored twice. Returns false for such a duplicate.
    /// With a `handoff` that has room, the stored delivery goes straight to this process's processors.
    @discardableResult
    public func store(route: WebhookRoute, headers: [(name: String, value: String)], body: [UInt8], deliveryID: String?,
                      handoff: InboxHandoff? = nil) async throws -> Bool {
        let headersText = Self.headersJSON(headers)
        let bodyBuffer = ByteBuffer(bytes: body)
        let placement = handoff?.place(1) ?? .due
        let id = try await database.withConnection { connection in
            try await connection.query("""
                WITH stored AS (
                    INSERT INTO public.gateway_webhook_inbox (id, tenant_id, tenant_schema, connection_id, kind, adapter_code, delivery_id, headers, body)
                    VALUES (\(UUID.timeOrdered()), \(route.tenantID), \(route.tenantSchema), \(route.connectionID), \(route.kind), \(route.adapterCode),
                            \(deliveryID), \(headersText)::jsonb, \(bodyBuffer))
                    ON CONFLICT (connection_id, delivery_id) WHERE delivery_id IS NOT NULL DO NOTHING RETURNING id)
                INSERT INTO public.gateway_webhook_queue (inbox_id, attempts, next_attempt_at)
                SELECT id, \(placement.attempts), NOW() + make_interval(secs => \(placement.delaySeconds)) FROM stored RETURNING inbox_id
                """, logger: database.logger).collect().first?.decode(UUID.self)
        }
        guard let id else { return false }
        if placement.handedOff, let handoff {
            handoff.offer([InboxItem(id: id, route: route, headers: headers, body: body, attempts: 1)])
        }
        return true
    }

    /// Header names lowercased, as one JSON object (the `headers` column),
    /// written directly: this runs for every stored webhook. A repeated name
    /// is written twice and jsonb keeps the last, as a JSON object would.
    static func headersJSON(_ headers: [(name: String, value: String)]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(headers.reduce(2) { $0 + $1.name.utf8.count + $1.value.utf8.count + 6 })
        out.append(UInt8(ascii: "{"))
        for (index, (name, value)) in headers.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            // HTTP field names are ASCII tokens; HTTPTypes' canonical names are lowercase already.
            let lower = name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } ? name.lowercased() : name
            JSON.writeString(lower, into: &out)
            out.append(UInt8(ascii: ":"))
            JSON.writeString(value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Claims due items by pushing their next attempt out (a lease): a
    /// crashed processor's items come back after `lease`.
    public func claim(limit: Int, lease: Duration = .seconds(60)) async throws -> [InboxItem] {
        let seconds = Double(lease.components.seconds)
        return try await database.withConnection { connection in
            try await connection.query("""
                WITH claimed AS (
                    UPDATE public.gateway_webhook_queue q SET next_attempt_at = NOW() + make_interval(secs => \(seconds)), attempts = attempts + 1
                    WHERE q.inbox_id IN (SELECT inbox_id FROM public.gateway_webhook_queue WHERE next_attempt_at <= NOW()
                                         ORDER BY next_attempt_at FOR UPDATE SKIP LOCKED LIMIT \(limit))
                    RETURNING q.inbox_id, q.attempts)
                SELECT i.id, i.tenant_id, i.tenant_schema, i.connection_id, i.kind, i.adapter_code, i.headers::text, i.body, c.attempts
                FROM claimed c JOIN public.gateway_webhook_inbox i ON i.id = c.inbox_id
                """, logger: database.logger).collect().map { row in
                let (id, tenant, schema, connectionID, kind, code, headersText, body, attempts) =
                    try row.decode((UUID, UUID, String, UUID, String, String, String, ByteBuffer, Int).self)
                let headers = ((try? JSON.parse(headersText))?.objectValue ?? JSONObject()).map { ($0.key, $0.value.stringValue ?? "") }
                return InboxItem(id: id, route: WebhookRoute(connectionID: connectionID, tenantID: tenant, tenantSchema: schema, kind: kind, adapterCode: code),
                                 headers: headers, body: Array(body.readableBytesView), attempts: attempts)
            }
        }
    }

    /// Inside the caller's transaction, so the work and its bookkeeping commit together.
    public static func markProcessed(_ ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM public.gateway_webhook_queue WHERE inbox_id = ANY(\(ids))", logger: logger)
    }

    public func markProcessed(_ id: UUID) async throws {
        try await database.withConnection { connection in
            try await connection.query("DELETE FROM public.gateway_webhook_queue WHERE inbox_id = \(id)", logger: database.logger)
        }
    }

    /// Retries with backoff; after `maxAttempts` the item stays (unprocessed, with its error) for an operator to replay.
    public func markFailed(_ item: InboxItem, error: String, maxAttempts: Int = 10) async throws {
        let delay = min(3600, 5 * pow(2, Double(min(item.attempts, 12))))
        let next = item.attempts >= maxAttempts ? "infinity" : "\(delay)"
        try await database.withConnection { connection in
            try await connection.query("""
                UPDATE public.gateway_webhook_queue SET last_error = \(error),
                    next_attempt_at = CASE WHEN \(next) = 'infinity' THEN 'infinity'::timestamptz ELSE NOW() + make_interval(secs => \(delay)) END
                WHERE inbox_id = \(item.id)
                """, logger: database.logger)
        }
    }

    /// Deletes processed deliveries received before `cutoff`, at most `batch`
    /// rows per statement (short transactions, no long lock on a busy table);
    /// returns how many went. Unprocessed ones stay whatever their age: a
    /// delivery that gave up waits for an operator's replay. Ids are UUIDv7,
    /// so the primary key finds old rows without an index on `received_at`.
    @discardableResult
    public func purge(receivedBefore cutoff: Date, batch: Int = 5_000) async throws -> Int {
        let bound = UUID.timeOrderedLowerBound(cutoff)
        var total = 0
        while true {
            let deleted = try await database.withConnection { connection in
                try await connection.query("""
                    DELETE FROM public.gateway_webhook_inbox WHERE id IN (
                        SELECT i.id FROM public.gateway_webhook_inbox i
                        WHERE i.id < \(bound) AND i.received_at < \(cutoff)
                          AND NOT EXISTS (SELECT 1 FROM public.gateway_webhook_queue q WHERE q.inbox_id = i.id)
                        LIMIT \(batch) FOR UPDATE SKIP LOCKED)
                    RETURNING 1
                    """, logger: database.logger).collect().count
            }
            total += deleted
            if deleted < batch || Task.isCancelled { break }
        }
        // Queue rows whose delivery is gone (none should be: tenant deletion removes both).
        try await database.withConnection { connection in
            try await connection.query("""
                DELETE FROM public.gateway_webhook_queue q
                WHERE NOT EXISTS (SELECT 1 FROM public.gateway_webhook_inbox i WHERE i.id = q.inbox_id)
                """, logger: database.logger)
        }
        return total
    }

    /// Makes stored deliveries due again (replay after a fix).
    public func replay(connectionID: UUID?, since: Date) async throws -> Int {
        try await database.withConnection { connection in
            try await connection.query("""
                INSERT INTO public.gateway_webhook_queue (inbox_id, next_attempt_at, attempts)
                SELECT id, NOW(), 0 FROM public.gateway_webhook_inbox
                WHERE received_at >= \(since) AND (\(connectionID)::uuid IS NULL OR connection_id = \(connectionID))
                ON CONFLICT (inbox_id) DO UPDATE SET next_attempt_at = NOW(), attempts = 0, last_error = NULL
                RETURNING inbox_id
                """, logger: database.logger).collect().count
        }
    }
}
