/// What can go wrong on the wire. Faults never touch the mock's data: a
/// retried request gets the right answer.
public enum Fault: Sendable, Equatable, CustomStringConvertible {
    /// The provider's own 429 (Shopify with Retry-After, Amazon QuotaExceeded).
    case rateLimited
    /// 500, 502, 503 or 504 with the provider's error body.
    case serverError(Int)
    /// The right answer, after a delay.
    case slow(milliseconds: Int)
    /// 200 with the first half of the JSON body (Content-Length matches the cut).
    case truncatedBody
    /// 200 with a body that is not valid JSON.
    case malformedJSON

    public var description: String {
        switch self {
        case .rateLimited: return "429"
        case let .serverError(code): return String(code)
        case .slow: return "slow"
        case .truncatedBody: return "truncated"
        case .malformedJSON: return "malformed"
        }
    }
}

/// Which faults to inject: by probability (deterministic with `seed`) and/or
/// by script ("the 3rd, 4th and 5th request get 503").
public struct FaultPlan: Sendable, Equatable {
    public var seed: UInt64 = 0
    /// Probability that a request starts a burst of `rateLimitBurstLength` 429s.
    public var rateLimitBurstProbability: Double = 0
    public var rateLimitBurstLength: Int = 3
    public var serverErrorProbability: Double = 0
    public var serverErrorStatuses: [Int] = [500, 502, 503]
    public var slowProbability: Double = 0
    public var slowMilliseconds: Int = 1500
    public var truncatedProbability: Double = 0
    public var malformedProbability: Double = 0
    /// 1-based ordinal of an eligible request → fault; wins over probabilities.
    public var script: [Int: Fault] = [:]
    /// Only requests whose path starts with one of these are eligible (nil: all
    /// provider API requests; `/__mock/` admin requests never are).
    public var pathPrefixes: [String]?

    public init() {}

    public static let none = FaultPlan()

    public static func scripted(_ script: [Int: Fault], pathPrefixes: [String]? = nil) -> FaultPlan {
        var p = FaultPlan()
        p.script = script
        p.pathPrefixes = pathPrefixes
        return p
    }

    /// `rate` of requests misbehave, spread over every kind of fault.
    public static func uniform(rate: Double, seed: UInt64, slowMilliseconds: Int = 1500) -> FaultPlan {
        var p = FaultPlan()
        p.seed = seed
        let r = min(max(rate, 0), 1)
        p.rateLimitBurstProbability = r * 0.3 / 3  // a burst is 3 requests
        p.serverErrorProbability = r * 0.3
        p.slowProbability = r * 0.15
        p.slowMilliseconds = slowMilliseconds
        p.truncatedProbability = r * 0.125
        p.malformedProbability = r * 0.125
        return p
    }

    var isEmpty: Bool {
        script.isEmpty && rateLimitBurstProbability == 0 && serverErrorProbability == 0
            && slowProbability == 0 && truncatedProbability == 0 && malformedProbability == 0
    }
}

/// Decides the fault of each request from the plan and the request's ordinal.
public final class FaultInjector: Sendable {
    private struct State {
        var plan: FaultPlan
        var ordinal = 0
        var burstLeft = 0
    }
    private let state: LockedBox<State>

    public init(_ plan: FaultPlan = .none) { state = LockedBox(State(plan: plan)) }

    public var plan: FaultPlan { state.withLock { $0.plan } }

    /// Replaces the plan and restarts the ordinal count.
    public func set(_ plan: FaultPlan) {
        state.withLock { $0 = State(plan: plan) }
    }

    /// The fault for the next request to `path`, if any.
    public func next(path: String) -> Fault? {
        state.withLock { s in
            if let prefixes = s.plan.pathPrefixes, !prefixes.contains(where: { path.hasPrefix($0) }) { return nil }
            s.ordinal += 1
            if let scripted = s.plan.script[s.ordinal] { return scripted }
            if s.burstLeft > 0 {
                s.burstLeft -= 1
                return .rateLimited
            }
            let p = s.plan
            if p.isEmpty { return nil }
            // One draw per ordinal: the same plan gives the same faults in the same order.
            var g = SplitMix64.derive(seed: p.seed, stream: 0xFA_017, index: UInt64(s.ordinal))
            var u = g.unit()
            if u < p.rateLimitBurstProbability {
                s.burstLeft = max(0, p.rateLimitBurstLength - 1)
                return .rateLimited
            }
            u -= p.rateLimitBurstProbability
            if u < p.serverErrorProbability { return .serverError(g.pick(p.serverErrorStatuses.isEmpty ? [500] : p.serverErrorStatuses)) }
            u -= p.serverErrorProbability
            if u < p.slowProbability { return .slow(milliseconds: p.slowMilliseconds) }
            u -= p.slowProbability
            if u < p.truncatedProbability { return .truncatedBody }
            u -= p.truncatedProbability
            if u < p.malformedProbability { return .malformedJSON }
            return nil
        }
    }

    /// Damages a correct response body for the body faults.
    static func corrupt(_ response: MockResponse, with fault: Fault) -> MockResponse {
        var r = response
        switch fault {
        case .truncatedBody:
            r.body = Array(r.body.prefix(max(1, r.body.count / 2)))
        case .malformedJSON:
            // `{"orders"=[...` : valid length, invalid JSON.
            if let colon = r.body.firstIndex(of: UInt8(ascii: ":")) {
                r.body[colon] = UInt8(ascii: "=")
            } else {
                r.body = Array("{\"errors\":".utf8)
            }
        default:
            break
        }
        return r
    }
}
