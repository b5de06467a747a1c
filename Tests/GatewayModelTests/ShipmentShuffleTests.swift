import Foundation
import Testing
@testable import GatewayModel

/// Deterministic PRNG so a failure reproduces (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ShipmentShuffleTests {
    typealias S = ShipmentStatus
    struct Ev: CustomStringConvertible {
        var status: S
        var hours: Double
        var ndr = false
        var time: Date { Date(timeIntervalSince1970: 1_705_000_000 + hours * 3600) }
        var description: String { "\(status.rawValue)\(ndr ? "(NDR)" : "")@\(hours)" }
    }

    static let start = ShipmentProgress(status: .created, since: Date(timeIntervalSince1970: 1_705_000_000))
    static let forwardHead: [Ev] = [
        Ev(status: .manifested, hours: 1), Ev(status: .picked, hours: 5), Ev(status: .inTransit, hours: 8),
        Ev(status: .inTransit, hours: 20), Ev(status: .inTransit, hours: 30),
    ]
    static let ofd1 = Ev(status: .outForDelivery, hours: 33), ndr1 = Ev(status: .inTransit, hours: 40, ndr: true)
    static let ofd2 = Ev(status: .outForDelivery, hours: 57), ndr2 = Ev(status: .inTransit, hours: 64, ndr: true)
    static let ofd3 = Ev(status: .outForDelivery, hours: 81), ndr3 = Ev(status: .inTransit, hours: 88, ndr: true)

    /// Realistic lifecycles and where each must end whatever the arrival order.
    static let scenarios: [(name: String, events: [Ev], final: S)] = [
        ("delivered first attempt", forwardHead + [ofd1, Ev(status: .delivered, hours: 35)], .delivered),
        ("delivered after two NDRs", forwardHead + [ofd1, ndr1, ofd2, ndr2, ofd3, Ev(status: .delivered, hours: 83)], .delivered),
        ("ends on a failed attempt", forwardHead + [ofd1, ndr1], .inTransit),
        ("ends on the second failed attempt", forwardHead + [ofd1, ndr1, ofd2, ndr2], .inTransit),
        ("out again after a failed attempt", forwardHead + [ofd1, ndr1, ofd2], .outForDelivery),
        ("RTO after three NDRs", forwardHead + [ofd1, ndr1, ofd2, ndr2, ofd3, ndr3,
            Ev(status: .rtoInitiated, hours: 90), Ev(status: .rtoInTransit, hours: 100),
            Ev(status: .rtoInTransit, hours: 120), Ev(status: .rtoDelivered, hours: 130)], .rtoDelivered),
        ("RTO on the way back", forwardHead + [ofd1, ndr1, Ev(status: .rtoInitiated, hours: 45),
            Ev(status: .rtoInTransit, hours: 50)], .rtoInTransit),
        ("cancelled before pickup", [Ev(status: .manifested, hours: 1), Ev(status: .cancelled, hours: 3)], .cancelled),
        ("same-minute attempt resolves forward", forwardHead + [ofd1, Ev(status: .inTransit, hours: 33, ndr: true)], .outForDelivery),
        ("duplicates everywhere", (forwardHead + [ofd1, ndr1, ofd2, Ev(status: .delivered, hours: 59)]).flatMap { [$0, $0] }, .delivered),
    ]

    /// Forward order of statuses for "the furthest event" (RTO beyond the forward path).
    static func reach(_ s: S) -> Int {
        switch s {
        case .cancelled: 100
        default: s.forwardRank ?? (10 + (s.rtoRank ?? 0))
        }
    }

    static func run(_ events: [Ev], check: (ShipmentProgress, ShipmentProgress, Ev) -> Void = { _, _, _ in }) -> ShipmentProgress {
        var p = start
        for e in events {
            if let n = ShipmentStateMachine.apply(p, event: e.status, eventTime: e.time, isNDR: e.ndr) {
                check(p, n, e)
                p = n
            }
        }
        return p
    }

    /// A step may only keep the status, move along the static graph, or be the NDR step back.
    static func isLegalStep(_ old: ShipmentProgress, _ new: ShipmentProgress, _ e: Ev) -> Bool {
        if old.status == new.status { return true }
        if ShipmentStateMachine.canTransition(from: old.status, to: new.status) { return true }
        return e.ndr && old.status == .outForDelivery && new.status == .inTransit && (old.since.map { e.time > $0 } ?? false)
    }

    @Test(arguments: 0..<scenarios.count)
    func shuffledArrivalNeverChangesTheOutcome(index: Int) {
        let (name, events, final) = Self.scenarios[index]
        // In order, the lifecycle ends where we say.
        #expect(Self.run(events).status == final, "\(name) in order")
        // Where no attempt is left pending, that is also the furthest status seen.
        if final != .inTransit && !name.contains("same-minute") {
            #expect(events.map(\.status).max { Self.reach($0) < Self.reach($1) } == final, "\(name)")
        }
        var rng = SplitMix64(seed: 0xC0FFEE &+ UInt64(index))
        for round in 0..<3000 {
            let order = events.shuffled(using: &rng)
            var illegal: String?
            let p = Self.run(order) { old, new, e in
                if !Self.isLegalStep(old, new, e) { illegal = "\(old.status) -> \(new.status) on \(e)" }
            }
            #expect(illegal == nil, "\(name) round \(round): \(illegal ?? "")")
            #expect(p.status == final, "\(name) round \(round): \(order) ended \(p.status)")
            if p.status != final || illegal != nil { return }
        }
    }

    @Test func replayingEverythingTwiceChangesNothing() {
        var rng = SplitMix64(seed: 42)
        for (name, events, _) in Self.scenarios {
            let order = events.shuffled(using: &rng)
            let once = Self.run(order)
            var p = once
            for e in order.shuffled(using: &rng) {
                if let n = ShipmentStateMachine.apply(p, event: e.status, eventTime: e.time, isNDR: e.ndr) { p = n }
            }
            #expect(p.status == once.status, "\(name)")
        }
    }

    /// Random garbage streams: whatever arrives, every step is legal and terminal states stick.
    @Test func randomStreamsOnlyTakeLegalSteps() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<5000 {
            var p = ShipmentProgress(status: S.allCases.randomElement(using: &rng) ?? .created,
                                     since: Bool.random(using: &rng) ? Date(timeIntervalSince1970: 1_705_000_000) : nil)
            for _ in 0..<12 {
                let e = Ev(status: S.allCases.randomElement(using: &rng) ?? .created,
                           hours: Double(Int.random(in: -5...50, using: &rng)), ndr: Int.random(in: 0..<4, using: &rng) == 0)
                guard let n = ShipmentStateMachine.apply(p, event: e.status, eventTime: e.time, isNDR: e.ndr) else { continue }
                #expect(!p.status.isTerminal)
                #expect(Self.isLegalStep(p, n, e), "\(p.status) -> \(n.status) on \(e)")
                if let old = p.since, let new = n.since { #expect(new >= old || n.status != p.status) }
                p = n
            }
        }
    }

    @Test func orderStatusFollowsShuffledShipmentEvents() {
        var rng = SplitMix64(seed: 99)
        let cases: [([S], OrderStatus)] = [
            ([.manifested, .picked, .inTransit, .outForDelivery, .delivered], .delivered),
            ([.picked, .inTransit, .rtoInitiated, .rtoInTransit, .rtoDelivered], .returned),
            ([.picked, .inTransit, .outForDelivery], .shipped),
        ]
        for (statuses, expected) in cases {
            for _ in 0..<500 {
                var o = OrderStatus.confirmed
                for s in statuses.shuffled(using: &rng) { o = OrderStatus.next(current: o, shipment: s) ?? o }
                #expect(o == expected)
            }
        }
    }
}
