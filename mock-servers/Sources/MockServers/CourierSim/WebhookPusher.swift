import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How the courier mocks deliver webhooks: the misbehaviour real providers show.
public struct WebhookDeliveryConfig: Sendable, Equatable {
    /// Each event is POSTed this many times (at-least-once delivery).
    public var duplicates = 1
    /// Deliveries sent together are shuffled within windows of this many (0/1: in order).
    public var shuffleWindow = 0
    /// An event is due this many simulated minutes after it happened.
    public var delayMinutes = 0
    /// Total tries per delivery while the receiver answers non-2xx or is unreachable.
    public var maxAttempts = 5
    /// Simulated minutes before the 1st, 2nd, ... retry (the last value repeats).
    public var retryBackoffMinutes = [1, 5, 15, 60]
    /// Per-request timeout (real seconds).
    public var timeoutSeconds: Double = 10
    public var seed: UInt64 = 0

    public init() {}
}

/// A webhook waiting to be sent.
public struct WebhookDelivery: Sendable {
    public let id: Int
    public let awb: String
    public let url: String
    public let headers: [(String, String)]
    public let body: [UInt8]
    /// Simulated epoch seconds of the event, and when the delivery is due.
    public let eventAt: Int64
    public var dueAt: Int64
    /// Tries made so far.
    public var attempts: Int
}

/// One POST (or refusal) and how it went.
public struct WebhookAttempt: Sendable, Equatable {
    public let deliveryID: Int
    public let awb: String
    public let attempt: Int
    /// HTTP status, nil when the request failed or was refused.
    public let status: Int?
    public let error: String?
    /// Simulated time of the try.
    public let at: Int64

    public var acknowledged: Bool { status.map { (200...299).contains($0) } ?? false }
}

public struct WebhookFlushReport: Sendable, Equatable {
    public var attempts: [WebhookAttempt] = []
    /// Still queued afterwards (retries waiting, or not yet due).
    public var pending = 0
    /// Gave up on these (attempts exhausted or refused target) during this call.
    public var abandoned = 0

    public var sent: Int { attempts.count }
    public var acknowledged: Int { attempts.filter(\.acknowledged).count }
    public var failed: Int { attempts.count - acknowledged }

    mutating func merge(_ other: WebhookFlushReport) {
        attempts += other.attempts
        pending = other.pending
        abandoned += other.abandoned
    }
}

/// Queues webhook deliveries and POSTs them to loopback receivers.
///
/// Bounded: a delivery is tried at most `maxAttempts` times and `drain` stops
/// after a fixed number of rounds, so a receiver that always fails cannot keep
/// a test spinning. Targets outside 127.0.0.0/8 and ::1 are refused unsent.
public final class WebhookPusher: Sendable {
    struct State: Sendable {
        var config: WebhookDeliveryConfig
        var queue: [WebhookDelivery] = []
        var nextID = 1
        var batches: UInt64 = 0
        var log: [WebhookAttempt] = []
        var abandoned: [WebhookDelivery] = []
    }

    let clock: SimClock
    let state: LockedBox<State>
    let session: URLSession

    public init(clock: SimClock, config: WebhookDeliveryConfig = WebhookDeliveryConfig()) {
        self.clock = clock
        state = LockedBox(State(config: config))
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = config.timeoutSeconds
        c.timeoutIntervalForResource = config.timeoutSeconds
        session = URLSession(configuration: c)
    }

    public var config: WebhookDeliveryConfig {
        get { state.withLock { $0.config } }
        set { state.withLock { $0.config = newValue } }
    }

    /// Queues an event's webhook (`duplicates` copies, due after `delayMinutes`).
    public func enqueue(awb: String, eventAt: Int64, url: String, headers: [(String, String)], body: [UInt8]) {
        state.withLock { s in
            let due = eventAt + Int64(max(0, s.config.delayMinutes)) * 60
            for _ in 0..<max(1, s.config.duplicates) {
                s.queue.append(WebhookDelivery(id: s.nextID, awb: awb, url: url, headers: headers, body: body,
                                               eventAt: eventAt, dueAt: due, attempts: 0))
                s.nextID += 1
            }
        }
    }

    public var pendingCount: Int { state.withLock { $0.queue.count } }
    public var pending: [WebhookDelivery] { state.withLock { $0.queue } }
    /// Every try so far, in order.
    public var log: [WebhookAttempt] { state.withLock { $0.log } }
    public var abandoned: [WebhookDelivery] { state.withLock { $0.abandoned } }

    /// Drops everything queued (a receiver that changed its URL).
    public func clear() { state.withLock { $0.queue.removeAll() } }

    /// Sends the deliveries due by the simulated clock.
    @discardableResult
    public func pushDue() async -> WebhookFlushReport {
        let now = clock.now()
        return await send(take { $0.dueAt <= now })
    }

    /// Sends everything queued now, due or not (delays and retry backoff skipped).
    @discardableResult
    public func flush() async -> WebhookFlushReport {
        await send(take { _ in true })
    }

    /// Flushes until nothing is queued or `maxRounds` rounds have run; with
    /// retries that is "push everything and wait until acknowledged or given up".
    @discardableResult
    public func drain(maxRounds: Int = 10) async -> WebhookFlushReport {
        var total = WebhookFlushReport()
        for _ in 0..<max(1, maxRounds) {
            let r = await flush()
            total.merge(r)
            if r.sent == 0 || r.pending == 0 { break }
        }
        total.pending = pendingCount
        return total
    }

    /// Removes the matching deliveries in send order, shuffled within windows.
    func take(_ match: (WebhookDelivery) -> Bool) -> [WebhookDelivery] {
        state.withLock { s in
            var batch = s.queue.filter(match).sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
            let ids = Set(batch.map(\.id))
            s.queue.removeAll { ids.contains($0.id) }
            let w = s.config.shuffleWindow
            if w > 1 && batch.count > 1 {
                var g = SplitMix64.derive(seed: s.config.seed, stream: 0x5_4FF1E, index: s.batches)
                var start = 0
                while start < batch.count {
                    let end = min(batch.count, start + w)
                    var i = end - 1
                    while i > start {
                        let j = start + Int(g.next() % UInt64(i - start + 1))
                        batch.swapAt(i, j)
                        i -= 1
                    }
                    start = end
                }
            }
            s.batches += 1
            return batch
        }
    }

    func send(_ batch: [WebhookDelivery]) async -> WebhookFlushReport {
        var report = WebhookFlushReport()
        for var d in batch {
            d.attempts += 1
            let now = clock.now()
            var status: Int?
            var error: String?
            var retryable = true
            if !Self.isLoopback(d.url) {
                error = "refused: webhook target is not a loopback address"
                retryable = false
            } else {
                switch await post(d) {
                case let .success(code): status = code
                case let .failure(message): error = message
                }
            }
            let attempt = WebhookAttempt(deliveryID: d.id, awb: d.awb, attempt: d.attempts, status: status, error: error, at: now)
            report.attempts.append(attempt)
            let ok = attempt.acknowledged
            state.withLock { s in
                s.log.append(attempt)
                if ok { return }
                if retryable && d.attempts < s.config.maxAttempts {
                    let backoff = s.config.retryBackoffMinutes
                    let minutes = backoff.isEmpty ? 1 : backoff[min(d.attempts - 1, backoff.count - 1)]
                    d.dueAt = now + Int64(max(0, minutes)) * 60
                    s.queue.append(d)
                } else {
                    s.abandoned.append(d)
                    report.abandoned += 1
                }
            }
        }
        report.pending = pendingCount
        return report
    }

    enum PostResult { case success(Int), failure(String) }

    func post(_ d: WebhookDelivery) async -> PostResult {
        guard let url = URL(string: d.url) else { return .failure("bad URL") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        for (name, value) in d.headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(d.body)
        do {
            let (_, response) = try await session.data(for: request)
            return .success((response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            return .failure(String(describing: error))
        }
    }

    /// http(s) to 127.0.0.0/8, localhost or [::1] only: the mocks never reach the network.
    public static func isLoopback(_ url: String) -> Bool {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let rawHost = u.host?.lowercased() else { return false }
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { p in Int(p).map { (0...255).contains($0) } ?? false }
    }
}
