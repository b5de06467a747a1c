/// Moves booked shipments along their scripted journeys on the mock's SimClock.
///
/// Courier-neutral: it emits `SimEvent`s; each mock turns them into its own
/// status codes, serves them from its tracking API and pushes them as webhooks.
public final class CourierSimulator: Sendable {
    struct Track: Sendable {
        let awb: String
        let bookingIndex: UInt64
        var scenario: CourierScenario
        let bookedAt: Int64
        let originPin: String
        let destinationPin: String
        var steps: [PlannedStep]
        /// Index into `steps` of the next step to emit.
        var next: Int
        var events: [SimEvent]
    }

    struct State: Sendable {
        var tracks: [String: Track] = [:]
        var order: [String] = []
        var bookings: UInt64 = 0
        var forcedNext: [CourierScenario] = []
        var forcedByAWB: [String: CourierScenario] = [:]
        var weights: ScenarioWeights
    }

    public enum CancelOutcome: Sendable, Equatable {
        /// Cancelled before pickup: the shipment ends here.
        case cancelled
        /// Already on its way: cancelling turns it into a return to origin.
        case rto
        /// Delivered, returned or already cancelled.
        case notCancellable(SimStep)
        case unknownAWB
    }

    public let clock: SimClock
    public let seed: UInt64
    let state: LockedBox<State>

    public init(clock: SimClock, seed: UInt64, weights: ScenarioWeights = ScenarioWeights()) {
        self.clock = clock
        self.seed = seed
        state = LockedBox(State(weights: weights))
    }

    public var weights: ScenarioWeights {
        get { state.withLock { $0.weights } }
        set { state.withLock { $0.weights = newValue } }
    }

    // MARK: forcing scenarios (tests)

    /// Forces the journey of `awb`: before it is booked, or right after booking
    /// (while only the steps every journey shares have happened). Returns false when too late.
    @discardableResult
    public func setScenario(_ scenario: CourierScenario, forAWB awb: String) -> Bool {
        state.withLock { s in
            guard var track = s.tracks[awb] else {
                s.forcedByAWB[awb] = scenario
                return true
            }
            var rng = SplitMix64.derive(seed: seed, stream: 0xC0_56, index: track.bookingIndex)
            let steps = JourneyPlanner.plan(scenario, originPin: track.originPin, destinationPin: track.destinationPin, rng: &rng)
            // booked and pickup scheduled are common to every journey; past them the history would disagree.
            guard track.next <= 2, steps.count >= track.next else { return false }
            track.scenario = scenario
            track.steps = Array(track.steps.prefix(track.next)) + Array(steps.dropFirst(track.next))
            s.tracks[awb] = track
            return true
        }
    }

    /// The next `count` bookings take `scenario` (queued after any already queued).
    public func setScenarioForNextBookings(_ scenario: CourierScenario, count: Int = 1) {
        state.withLock { s in s.forcedNext += Array(repeating: scenario, count: max(0, count)) }
    }

    // MARK: lifecycle

    /// Plans the journey of a new shipment and emits its `booked` event now.
    @discardableResult
    public func book(awb: String, originPin: String, destinationPin: String) -> SimEvent {
        let now = clock.now()
        return state.withLock { s in
            if let existing = s.tracks[awb], let first = existing.events.first { return first }
            let index = s.bookings
            s.bookings += 1
            var rng = SplitMix64.derive(seed: seed, stream: 0xC0_55, index: index)
            let scenario: CourierScenario
            if let forced = s.forcedByAWB.removeValue(forKey: awb) {
                scenario = forced
            } else if !s.forcedNext.isEmpty {
                scenario = s.forcedNext.removeFirst()
            } else {
                scenario = JourneyPlanner.choose(s.weights, rng: &rng)
            }
            let steps = JourneyPlanner.plan(scenario, originPin: originPin, destinationPin: destinationPin, rng: &rng)
            var track = Track(awb: awb, bookingIndex: index, scenario: scenario, bookedAt: now, originPin: originPin,
                              destinationPin: destinationPin, steps: steps, next: 0, events: [])
            let event = Self.emit(&track, at: now)
            s.tracks[awb] = track
            s.order.append(awb)
            return event
        }
    }

    /// Emits every step due by `now`, across shipments, in time order.
    public func advance(to now: Int64) -> [SimEvent] {
        state.withLock { s in Self.due(&s, now: now) }
    }

    /// Cancels a shipment now: before pickup it ends cancelled, after pickup it
    /// returns to origin. The events include any steps that were already due.
    public func cancel(awb: String) -> (CancelOutcome, [SimEvent]) {
        let now = clock.now()
        return state.withLock { s in
            var events = Self.due(&s, now: now)
            guard var track = s.tracks[awb], let last = track.events.last else { return (.unknownAWB, events) }
            if last.step.isTerminal || last.step.isRTO { return (.notCancellable(last.step), events) }
            if !last.step.isAfterPickup {
                track.steps = Array(track.steps.prefix(track.next))
                track.steps.append(PlannedStep(offsetMinutes: Self.offset(track, now), step: .cancelled, location: last.location))
                events.append(Self.emit(&track, at: now))
                s.tracks[awb] = track
                return (.cancelled, events)
            }
            events.append(Self.startReturn(&track, now: now, seed: seed))
            s.tracks[awb] = track
            return (.rto, events)
        }
    }

    /// The seller asks for the NDR shipment back. Returns nil unless it is in NDR.
    public func requestReturn(awb: String) -> [SimEvent]? {
        let now = clock.now()
        return state.withLock { s in
            var events = Self.due(&s, now: now)
            guard var track = s.tracks[awb], Self.inNDR(track) else { return nil }
            events.append(Self.startReturn(&track, now: now, seed: seed))
            s.tracks[awb] = track
            return events
        }
    }

    /// The seller asks for another attempt. Returns nil unless the shipment is in NDR.
    /// Replaces whatever was planned (even a return) with one more attempt that succeeds;
    /// the events are steps that were already due.
    public func requestReattempt(awb: String) -> [SimEvent]? {
        let now = clock.now()
        return state.withLock { s in
            let events = Self.due(&s, now: now)
            guard var track = s.tracks[awb], Self.inNDR(track), let last = track.events.last else { return nil }
            let attempt = Self.attempts(track) + 1
            let start = Self.offset(track, now)
            track.steps = Array(track.steps.prefix(track.next)) + [
                PlannedStep(offsetMinutes: start + 720, step: .outForDelivery(attempt: attempt), location: last.location),
                PlannedStep(offsetMinutes: start + 930, step: .delivered, location: last.location),
            ]
            s.tracks[awb] = track
            return events
        }
    }

    // MARK: queries

    public func history(awb: String) -> [SimEvent] { state.withLock { $0.tracks[awb]?.events ?? [] } }
    public func lastEvent(awb: String) -> SimEvent? { state.withLock { $0.tracks[awb]?.events.last } }
    public func scenario(awb: String) -> CourierScenario? { state.withLock { $0.tracks[awb]?.scenario } }
    public func bookedAt(awb: String) -> Int64? { state.withLock { $0.tracks[awb]?.bookedAt } }
    public func isInNDR(awb: String) -> Bool { state.withLock { $0.tracks[awb].map(Self.inNDR) ?? false } }
    public func failedAttempts(awb: String) -> Int { state.withLock { $0.tracks[awb].map(Self.attempts) ?? 0 } }
    /// AWBs in booking order.
    public var awbs: [String] { state.withLock { $0.order } }
    /// Steps still to come for `awb` (planned, not yet emitted).
    public func remainingSteps(awb: String) -> [SimStep] {
        state.withLock { s in s.tracks[awb].map { t in t.steps.dropFirst(t.next).map(\.step) } ?? [] }
    }
    /// When the last planned step of `awb` happens (epoch seconds).
    public func plannedEnd(awb: String) -> Int64? {
        state.withLock { s in s.tracks[awb].flatMap { t in t.steps.last.map { t.bookedAt + Int64($0.offsetMinutes) * 60 } } }
    }

    // MARK: internals (called under the lock)

    static func offset(_ track: Track, _ now: Int64) -> Int {
        Int(max(0, now - track.bookedAt) / 60)
    }

    static func emit(_ track: inout Track, at: Int64) -> SimEvent {
        let planned = track.steps[track.next]
        track.next += 1
        let event = SimEvent(awb: track.awb, sequence: track.events.count + 1, step: planned.step, at: at, location: planned.location)
        track.events.append(event)
        return event
    }

    static func due(_ s: inout State, now: Int64) -> [SimEvent] {
        var out: [SimEvent] = []
        for awb in s.order {
            guard var track = s.tracks[awb] else { continue }
            var changed = false
            while track.next < track.steps.count {
                let at = track.bookedAt + Int64(track.steps[track.next].offsetMinutes) * 60
                guard at <= now else { break }
                // A step planned before a later emitted one still keeps the history in order.
                let when = max(at, track.events.last?.at ?? at)
                out.append(emit(&track, at: when))
                changed = true
            }
            if changed { s.tracks[awb] = track }
        }
        return out.sorted { ($0.at, $0.awb, $0.sequence) < ($1.at, $1.awb, $1.sequence) }
    }

    static func inNDR(_ track: Track) -> Bool {
        if case .failedAttempt? = track.events.last?.step { return true }
        return false
    }

    static func attempts(_ track: Track) -> Int {
        track.events.filter { if case .failedAttempt = $0.step { return true } else { return false } }.count
    }

    /// Emits `rtoInitiated` now and plans the way back from here.
    static func startReturn(_ track: inout Track, now: Int64, seed: UInt64) -> SimEvent {
        let origin = CourierGeo.city(forPin: track.originPin)
        let destination = CourierGeo.city(forPin: track.destinationPin)
        var rng = SplitMix64.derive(seed: seed, stream: 0xC0_57, index: track.bookingIndex)
        let start = offset(track, now)
        var leg = JourneyPlanner.rtoLeg(from: start, rng: &rng, lastMile: track.events.last?.location ?? CourierGeo.centre(for: destination, suffix: "DC"),
                                        destinationHub: CourierGeo.gateway(for: destination), originHub: CourierGeo.gateway(for: origin),
                                        firstMile: CourierGeo.centre(for: origin, suffix: "Pickup_P"), clientInstructed: true)
        // The return starts now; the rest of the way back keeps its spacing.
        let shift = (leg.first?.offsetMinutes ?? start) - start
        leg = leg.map { PlannedStep(offsetMinutes: $0.offsetMinutes - shift, step: $0.step, location: $0.location) }
        track.steps = Array(track.steps.prefix(track.next)) + leg
        return emit(&track, at: now)
    }
}
