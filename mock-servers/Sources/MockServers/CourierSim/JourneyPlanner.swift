import Foundation

/// A step with its time (minutes after booking) and place.
public struct PlannedStep: Sendable, Equatable {
    public let offsetMinutes: Int
    public let step: SimStep
    public let location: SimLocation
}

/// Indian geography for scans: PIN → city, and the gateway hubs between cities.
enum CourierGeo {
    /// The city whose PIN prefix matches (4 digits, then 3), else one picked from the PIN.
    static func city(forPin pin: String) -> IndianData.City {
        let cities = IndianData.cities
        if let c = cities.first(where: { pin.hasPrefix($0.pinPrefix) }) { return c }
        if let c = cities.first(where: { pin.prefix(3) == $0.pinPrefix.prefix(3) }) { return c }
        if let c = cities.first(where: { pin.prefix(2) == $0.pinPrefix.prefix(2) }) { return c }
        var g = SplitMix64(seed: UInt64(pin) ?? 0)
        return g.pick(cities)
    }

    /// Regional gateway hub per state (Delhivery-style names).
    static func gateway(for city: IndianData.City) -> SimLocation {
        let name: (String, String)
        switch city.stateCode {
        case "MH", "GJ", "MP": name = ("Mumbai", "Bhiwandi_Mankoli_HB")
        case "KA", "KL": name = ("Bengaluru", "Bengaluru_Nelmngla_H")
        case "TN": name = ("Chennai", "Chennai_Poonamallee_HB")
        case "TS", "AP": name = ("Hyderabad", "Hyderabad_Shamshabad_HB")
        case "WB", "OR", "AS", "BR": name = ("Kolkata", "Kolkata_Dankuni_HB")
        case "RJ": name = ("Jaipur", "Jaipur_Hub")
        default: name = ("Gurugram", "Gurgaon_Bilaspur_HB")
        }
        let hubCity = IndianData.cities.first { $0.name == name.0 } ?? city
        return SimLocation(city: hubCity.name, state: hubCity.state, facility: name.1)
    }

    /// The last-mile / first-mile centre of a city.
    static func centre(for city: IndianData.City, suffix: String) -> SimLocation {
        let base = city.name.replacingOccurrences(of: " ", with: "")
        return SimLocation(city: city.name, state: city.state, facility: base + "_" + suffix)
    }
}

/// Builds scripted journeys. Deterministic: the same inputs and generator state
/// give the same plan.
public enum JourneyPlanner {
    /// Minutes between steps vary by up to this much either way, so hubs do not all scan on the hour.
    static let jitter = 20

    public static func plan(_ scenario: CourierScenario, originPin: String, destinationPin: String,
                            rng: inout SplitMix64) -> [PlannedStep] {
        let origin = CourierGeo.city(forPin: originPin)
        let destination = CourierGeo.city(forPin: destinationPin)
        let firstMile = CourierGeo.centre(for: origin, suffix: "Pickup_P")
        let originHub = CourierGeo.gateway(for: origin)
        let destinationHub = CourierGeo.gateway(for: destination)
        let lastMile = CourierGeo.centre(for: destination, suffix: "DC")
        var steps: [PlannedStep] = []
        var t = 0
        func add(_ minutes: Int, _ step: SimStep, _ at: SimLocation) {
            let j = minutes > 2 * jitter ? rng.int(-jitter...jitter) : 0
            t += max(1, minutes + j)
            steps.append(PlannedStep(offsetMinutes: t, step: step, location: at))
        }
        steps.append(PlannedStep(offsetMinutes: 0, step: .booked, location: firstMile))
        add(15, .pickupScheduled, firstMile)
        if case .cancelled = scenario {
            add(90, .cancelled, firstMile)
            return steps
        }
        add(180, .outForPickup, firstMile)
        add(120, .pickedUp, firstMile)
        add(90, .originScan, firstMile)
        // Line haul through one or two gateways; within one region there is a single hub.
        add(360, .inTransit, originHub)
        if destinationHub != originHub { add(720, .inTransit, destinationHub) }
        add(480, .reachedDestination, lastMile)
        let attempts: Int
        let reason: NDRReason
        switch scenario {
        case let .ndrThenDelivered(a, r), let .ndrThenRTO(a, r): (attempts, reason) = (min(max(a, 1), 3), r)
        default: (attempts, reason) = (0, .customerUnavailable)
        }
        for attempt in 1...max(attempts, 1) where attempts > 0 {
            add(attempt == 1 ? 540 : 1020, .outForDelivery(attempt: attempt), lastMile)
            add(240, .failedAttempt(attempt: attempt, reason: reason), lastMile)
        }
        if case .ndrThenRTO = scenario {
            steps += rtoLeg(from: t, rng: &rng, lastMile: lastMile, destinationHub: destinationHub,
                            originHub: originHub, firstMile: firstMile, clientInstructed: false)
            return steps
        }
        add(attempts == 0 ? 540 : 1020, .outForDelivery(attempt: attempts + 1), lastMile)
        add(210, .delivered, lastMile)
        return steps
    }

    /// The way back: RTO initiated at the last-mile centre, back through the hubs,
    /// out for delivery to the seller, delivered to the seller.
    static func rtoLeg(from start: Int, rng: inout SplitMix64, lastMile: SimLocation, destinationHub: SimLocation,
                       originHub: SimLocation, firstMile: SimLocation, clientInstructed: Bool) -> [PlannedStep] {
        var t = start
        var out: [PlannedStep] = []
        func add(_ minutes: Int, _ step: SimStep, _ at: SimLocation) {
            t += max(1, minutes + rng.int(-jitter...jitter))
            out.append(PlannedStep(offsetMinutes: t, step: step, location: at))
        }
        add(600, .rtoInitiated(clientInstructed: clientInstructed), lastMile)
        add(480, .rtoInTransit, destinationHub)
        if destinationHub != originHub { add(720, .rtoInTransit, originHub) }
        add(480, .rtoReachedOrigin, firstMile)
        add(600, .rtoOutForDelivery, firstMile)
        add(240, .rtoDelivered, firstMile)
        return out
    }

    /// Chooses a scenario (and its attempts and reason) from the weights.
    public static func choose(_ weights: ScenarioWeights, rng: inout SplitMix64) -> CourierScenario {
        let kind = rng.weighted([(0, weights.delivered), (1, weights.ndrThenDelivered), (2, weights.ndrThenRTO), (3, weights.cancelled)])
        let attempts = rng.weighted([(1, 6), (2, 3), (3, 1)])
        let reason = rng.pick(NDRReason.allCases)
        switch kind {
        case 1: return .ndrThenDelivered(attempts: attempts, reason: reason)
        case 2: return .ndrThenRTO(attempts: attempts, reason: reason)
        case 3: return .cancelled
        default: return .delivered
        }
    }
}
