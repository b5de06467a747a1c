import Foundation
import JSONCore
import PostgresNIO
import Synchronization

/// Group commit for the inbox: concurrent deliveries without a provider
/// delivery id (courier tracking) are written together, one multi-row INSERT
/// and one fsync per batch, and each caller returns only after its batch has
/// committed. While a batch commits the next one fills, so the batch size
/// follows the load (docs/adr/0013). With a handoff, a committed batch goes
/// straight to this process's processors (docs/adr/0016).
public final class InboxBatcher: Sendable {
    struct Pending: Sendable {
        var id: UUID
        var route: WebhookRoute
        var headers: [(name: String, value: String)]
        var headersJSON: String
        var body: [UInt8]
    }

    struct Waiter: Sendable {
        var continuation: CheckedContinuation<Void, any Error>
        var expires: ContinuousClock.Instant
    }

    struct State: Sendable {
        var queue: [Pending] = []
        /// Callers not answered yet; whoever removes one (its batch, or the deadline) resumes it.
        var waiters: [UUID: Waiter] = [:]
        var flushing = 0
        var watching = false
    }

    /// The batch did not commit within the caller's deadline: answer 503, the provider retries.
    public struct DeadlineExceeded: Error, CustomStringConvertible {
        public var description: String { "inbox write did not commit within the deadline" }
    }

    let database: GatewayDatabase
    let handoff: InboxHandoff?
    let state = Mutex(State())
    let maxBatch: Int
    /// Batches committing at once: two overlap one's fsync with the next one's round trip.
    let maxInFlight: Int
    /// How late past its deadline a waiter may be answered: the watchdog's period.
    let deadlineGranularity: Duration = .milliseconds(250)

    public init(database: GatewayDatabase, handoff: InboxHandoff? = nil, maxBatch: Int = 256, maxInFlight: Int = 2) {
        self.database = database
        self.handoff = handoff
        self.maxBatch = maxBatch
        self.maxInFlight = maxInFlight
    }

    /// Returns once the delivery is durable (its batch committed); throws when the batch failed,
    /// or `DeadlineExceeded` when it has not committed within `deadline` (one watchdog for all
    /// waiters, not a timer per delivery).
    public func store(route: WebhookRoute, headers: [(name: String, value: String)], body: [UInt8],
                      deadline: Duration = .seconds(10)) async throws {
        let pending = Pending(id: .timeOrdered(), route: route, headers: headers, headersJSON: WebhookInbox.headersJSON(headers), body: body)
        let expires = ContinuousClock.now + deadline
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let (flush, watch) = state.withLock { s -> (Bool, Bool) in
                s.queue.append(pending)
                s.waiters[pending.id] = Waiter(continuation: continuation, expires: expires)
                let watch = !s.watching
                s.watching = true
                guard s.flushing < maxInFlight else { return (false, watch) }
                s.flushing += 1
                return (true, watch)
            }
            if watch { Task { await self.watchDeadlines() } }
            if flush { Task { await self.flush() } }
        }
    }

    func flush() async {
        while true {
            let batch: [Pending]? = state.withLock { s in
                // Deliveries already answered 503 are not written: their sender retries them.
                let waiters = s.waiters
                s.queue.removeAll { waiters[$0.id] == nil }
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
            let placement = handoff?.place(batch.count) ?? .due
            var failure: (any Error)?
            do {
                try await insert(batch, placement)
                if placement.handedOff, let handoff {
                    handoff.offer(batch.map { InboxItem(id: $0.id, route: $0.route, headers: $0.headers, body: $0.body, attempts: 1) })
                }
            } catch {
                failure = error
            }
            let waiting = state.withLock { s in batch.compactMap { s.waiters.removeValue(forKey: $0.id)?.continuation } }
            for continuation in waiting {
                if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
            }
        }
    }

    /// Answers waiters whose deadline passed; runs while anyone waits.
    func watchDeadlines() async {
        while true {
            try? await Task.sleep(for: deadlineGranularity)
            let now = ContinuousClock.now
            let expired: [CheckedContinuation<Void, any Error>]? = state.withLock { s in
                guard !s.waiters.isEmpty else {
                    s.watching = false
                    return nil
                }
                let late = s.waiters.filter { $0.value.expires <= now }
                for id in late.keys { s.waiters[id] = nil }
                return late.values.map(\.continuation)
            }
            guard let expired else { return }
            for continuation in expired { continuation.resume(throwing: DeadlineExceeded()) }
        }
    }

    /// A handed-off row counts its first attempt and stays invisible to the poller for the handoff's lease.
    func insert(_ batch: [Pending], _ placement: InboxHandoff.Placement) async throws {
        let statement = InboxInsertStatement(batch: batch, attempts: placement.attempts, delaySeconds: placement.delaySeconds)
        try await database.withConnection { connection in
            for try await _ in try await connection.execute(statement, logger: database.logger) {}
        }
    }
}

/// One multi-row INSERT per batch, arrays in, prepared once per connection
/// (parsing and planning it cost as much as running it for small batches).
struct InboxInsertStatement: PostgresPreparedStatement {
    static let name = "gateway_inbox_insert_v2"
    static let bindingDataTypes: [PostgresDataType] = [.uuidArray, .uuidArray, .textArray, .uuidArray, .textArray, .textArray,
                                                       .textArray, .byteaArray, .int8, .float8]
    /// The body row and its queue row (docs/adr/0018) in one statement.
    static let sql = """
        WITH stored AS (
            INSERT INTO public.gateway_webhook_inbox (id, tenant_id, tenant_schema, connection_id, kind, adapter_code, headers, body)
            SELECT i, t, s, c, k, a, h::jsonb, b
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::bytea[])
              AS x(i, t, s, c, k, a, h, b)
            RETURNING id)
        INSERT INTO public.gateway_webhook_queue (inbox_id, attempts, next_attempt_at)
        SELECT id, $9::int, NOW() + make_interval(secs => $10) FROM stored
        """
    typealias Row = Int

    var batch: [InboxBatcher.Pending]
    var attempts: Int
    var delaySeconds: Double

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 10)
        b.append(batch.map(\.id))
        b.append(batch.map(\.route.tenantID))
        b.append(batch.map(\.route.tenantSchema))
        b.append(batch.map(\.route.connectionID))
        b.append(batch.map(\.route.kind))
        b.append(batch.map(\.route.adapterCode))
        b.append(batch.map(\.headersJSON))
        b.append(batch.map { ByteBuffer(bytes: $0.body) })
        b.append(attempts)
        b.append(delaySeconds)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Int { 0 }
}
