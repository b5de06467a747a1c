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
    @discardableResult
    public func store(route: WebhookRoute, headers: [(name: String, value: String)], body: [UInt8], deliveryID: String?) async throws -> Bool {
        var headerObject = JSONObject()
        for (name, value) in headers { headerObject[name.lowercased()] = .string(value) }
        let headersText = JSON.object(headerObject).serialized()
        var buffer = ByteBuffer()
        buffer.writeBytes(body)
        let bodyBuffer = buffer
        return try await database.withConnection { connection in
            let rows = try await connection.query("""
                INSERT INTO public.gateway_webhook_inbox (tenant_id, tenant_schema, connection_id, kind, adapter_code, delivery_id, headers, body)
                VALUES (\(route.tenantID), \(route.tenantSchema), \(route.connectionID), \(route.kind), \(route.adapterCode), \(deliveryID),
                        \(headersText)::jsonb, \(bodyBuffer))
                ON CONFLICT (connection_id, delivery_id) WHERE delivery_id IS NOT NULL DO NOTHING RETURNING id
                """, logger: database.logger).collect()
            return !rows.isEmpty
        }
    }

    /// Claims due items by pushing their next attempt out (a lease): a
    /// crashed processor's items come back after `lease`.
    public func claim(limit: Int, lease: Duration = .seconds(60)) async throws -> [InboxItem] {
        let seconds = Double(lease.components.seconds)
        return try await database.withConnection { connection in
            try await connection.query("""
                UPDATE public.gateway_webhook_inbox i SET next_attempt_at = NOW() + make_interval(secs => \(seconds)), attempts = attempts + 1
                WHERE i.id IN (SELECT id FROM public.gateway_webhook_inbox WHERE processed_at IS NULL AND next_attempt_at <= NOW()
                               ORDER BY received_at FOR UPDATE SKIP LOCKED LIMIT \(limit))
                RETURNING i.id, i.tenant_id, i.tenant_schema, i.connection_id, i.kind, i.adapter_code, i.headers::text, i.body, i.attempts
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
        try await connection.query(
            "UPDATE public.gateway_webhook_inbox SET processed_at = NOW(), last_error = NULL WHERE id = ANY(\(ids))", logger: logger)
    }

    public func markProcessed(_ id: UUID) async throws {
        try await database.withConnection { connection in
            try await connection.query("UPDATE public.gateway_webhook_inbox SET processed_at = NOW(), last_error = NULL WHERE id = \(id)", logger: database.logger)
        }
    }

    /// Retries with backoff; after `maxAttempts` the item stays (unprocessed, with its error) for an operator to replay.
    public func markFailed(_ item: InboxItem, error: String, maxAttempts: Int = 10) async throws {
        let delay = min(3600, 5 * pow(2, Double(min(item.attempts, 12))))
        let next = item.attempts >= maxAttempts ? "infinity" : "\(delay)"
        try await database.withConnection { connection in
            try await connection.query("""
                UPDATE public.gateway_webhook_inbox SET last_error = \(error),
                    next_attempt_at = CASE WHEN \(next) = 'infinity' THEN 'infinity'::timestamptz ELSE NOW() + make_interval(secs => \(delay)) END
                WHERE id = \(item.id)
                """, logger: database.logger)
        }
    }

    /// Makes stored deliveries due again (replay after a fix).
    public func replay(connectionID: UUID?, since: Date) async throws -> Int {
        try await database.withConnection { connection in
            try await connection.query("""
                UPDATE public.gateway_webhook_inbox SET processed_at = NULL, next_attempt_at = NOW(), attempts = 0
                WHERE received_at >= \(since) AND (\(connectionID)::uuid IS NULL OR connection_id = \(connectionID)) RETURNING id
                """, logger: database.logger).collect().count
        }
    }
}

/// Group commit for the inbox: concurrent deliveries without a provider
/// delivery id (courier tracking) are written together, one multi-row INSERT
/// and one fsync per batch, and each caller returns only after its batch has
/// committed. While a batch commits the next one fills, so the batch size
/// follows the load (docs/adr/0013).
public final class InboxBatcher: Sendable {
    struct Pending: Sendable {
        var route: WebhookRoute
        var headers: String
        var body: String
        var continuation: CheckedContinuation<Void, any Error>
    }

    struct State: Sendable {
        var queue: [Pending] = []
        var flushing = 0
    }

    let database: GatewayDatabase
    let state = Mutex(State())
    let maxBatch: Int
    /// Batches committing at once: two overlap one's fsync with the next one's round trip.
    let maxInFlight: Int

    public init(database: GatewayDatabase, maxBatch: Int = 256, maxInFlight: Int = 2) {
        self.database = database
        self.maxBatch = maxBatch
        self.maxInFlight = maxInFlight
    }

    /// Returns once the delivery is durable (its batch committed); throws when the batch failed.
    public func store(route: WebhookRoute, headers: [(name: String, value: String)], body: [UInt8]) async throws {
        var headerObject = JSONObject()
        for (name, value) in headers { headerObject[name.lowercased()] = .string(value) }
        let headersText = JSON.object(headerObject).serialized()
        // Base64 so the batch travels as a text[] parameter; decoded to bytea in the INSERT.
        let bodyText = Data(body).base64EncodedString()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = state.withLock { s -> Bool in
                s.queue.append(Pending(route: route, headers: headersText, body: bodyText, continuation: continuation))
                guard s.flushing < maxInFlight else { return false }
                s.flushing += 1
                return true
            }
            if start { Task { await self.flush() } }
        }
    }

    func flush() async {
        while true {
            let batch: [Pending]? = state.withLock { s in
                guard !s.queue.isEmpty else {
                    s.flushing -= 1
                    return nil
                }
                let n = min(maxBatch, s.queue.count)
                let batch = Array(s.queue.prefix(n))
                s.queue.removeFirst(n)
                return batch
            }
            guard let batch else { return }
            do {
                try await insert(batch)
                for item in batch { item.continuation.resume() }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
    }

    func insert(_ batch: [Pending]) async throws {
        let tenants = batch.map(\.route.tenantID), schemas = batch.map(\.route.tenantSchema), connections = batch.map(\.route.connectionID)
        let kinds = batch.map(\.route.kind), codes = batch.map(\.route.adapterCode), headers = batch.map(\.headers), bodies = batch.map(\.body)
        try await database.withConnection { connection in
            try await connection.query("""
                INSERT INTO public.gateway_webhook_inbox (tenant_id, tenant_schema, connection_id, kind, adapter_code, headers, body)
                SELECT t, s, c, k, a, h::jsonb, decode(b, 'base64')
                FROM unnest(\(tenants)::uuid[], \(schemas)::text[], \(connections)::uuid[], \(kinds)::text[], \(codes)::text[],
                            \(headers)::text[], \(bodies)::text[]) AS x(t, s, c, k, a, h, b)
                """, logger: database.logger)
        }
    }
}
