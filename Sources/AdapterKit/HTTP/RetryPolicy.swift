import Foundation
import GatewayModel

/// When and how long `HTTPTransport` waits before trying again.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first one included (1 = never retry).
    public var maxAttempts: Int
    /// Backoff before retry n is uniform in [0, min(maxDelay, baseDelay * 2^(n-1))]
    /// ("full jitter": concurrent clients spread out instead of retrying in lockstep).
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A longer `Retry-After` is cut to this, so one call never blocks a worker for long.
    public var maxRetryAfter: Duration
    /// Statuses worth retrying; 429 is retried for every method, the rest only when idempotent.
    public var retryableStatuses: Set<Int>
    /// Larger bodies fail with `malformedResponse` instead of filling memory.
    public var maxResponseBytes: Int

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
                maxRetryAfter: Duration = .seconds(60), retryableStatuses: Set<Int> = [429, 500, 502, 503, 504],
                maxResponseBytes: Int = 32 << 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.retryableStatuses = retryableStatuses
        self.maxResponseBytes = maxResponseBytes
    }

    public static let standard = RetryPolicy()
    /// One attempt, no retry (connection tests that should answer fast).
    public static let once = RetryPolicy(maxAttempts: 1)

    /// Full-jitter delay before retry `retry` (1-based); `unit` is uniform in [0, 1).
    public func backoff(retry: Int, unit: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * min(max(unit, 0), 1)
    }
}

/// `Retry-After`: delta-seconds ("120", and "2.0" as Shopify sends it) or an
/// HTTP-date (IMF-fixdate, "Wed, 21 Oct 2015 07:28:00 GMT").
public enum RetryAfter {
    public static func parse(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        guard let date = httpDate(text) else { return nil }
        let delta = date.timeIntervalSince(now)
        return .milliseconds(Int64((max(0, delta) * 1000).rounded()))
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// IMF-fixdate only: RFC 9110 requires senders to use it.
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
              let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]),
              parts[4].count == 8 else { return nil }
        let iso = String(format: "%04d-%02d-%02dT%@Z", year, monthIndex + 1, day, String(parts[4]))
        return DateCoding.parse(iso)
    }
}
