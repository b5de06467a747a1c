/// A client warehouse registered with Delhivery; shipments name it exactly
/// (case- and space-sensitive) as `pickup_location.name`.
public struct DelhiveryWarehouse: Sendable, Equatable {
    public var name: String
    public var pin: String
    public var address: String
    public var city: String
    public var state: String
    public var phone: String

    public init(name: String, pin: String, address: String, city: String, state: String, phone: String = "9810012345") {
        self.name = name
        self.pin = pin
        self.address = address
        self.city = city
        self.state = state
        self.phone = phone
    }
}

/// One Delhivery limit: at most `limit` requests per `windowSeconds` per source IP.
public struct DelhiveryRateLimit: Sendable, Equatable {
    public var limit: Int
    public var windowSeconds: Int

    public init(limit: Int, windowSeconds: Int = 300) {
        self.limit = limit
        self.windowSeconds = windowSeconds
    }
}

/// The published per-IP limits (adapters/delhivery/manifest.json).
public struct DelhiveryRateLimits: Sendable, Equatable {
    public var track = DelhiveryRateLimit(limit: 750)
    public var createShipment = DelhiveryRateLimit(limit: 20_000)
    /// Shared by edit and cancellation (/api/p/edit).
    public var editShipment = DelhiveryRateLimit(limit: 12_200)
    public var pincode = DelhiveryRateLimit(limit: 4_500)
    public var label = DelhiveryRateLimit(limit: 3_000)
    public var pickupRequest = DelhiveryRateLimit(limit: 4_000)
    public var enabled = true

    public init() {}

    /// Never throttles (benchmarks).
    public static let disabled: DelhiveryRateLimits = {
        var l = DelhiveryRateLimits()
        l.enabled = false
        return l
    }()
}

/// Everything that shapes a Delhivery (B2C Express) mock.
public struct DelhiveryMockOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    public var seed: UInt64 = 1
    public var startTime: Int64?
    public var liveClock = false

    /// Static API token (Delhivery One > Settings > API Setup), sent as `Authorization: Token <token>`.
    public var apiToken = "8f3c1a9e5b7d2f4a6c8e0b1d3f5a7c9e2b4d6f80"
    /// The registered client name that appears in responses.
    public var clientName = "MOCKSELLER SURFACE"
    public var warehouses = [
        DelhiveryWarehouse(name: "Mock Seller Warehouse", pin: "110020", address: "B-42, Okhla Industrial Area Phase 1",
                           city: "New Delhi", state: "Delhi"),
        DelhiveryWarehouse(name: "Mock Seller Bengaluru", pin: "560068", address: "Plot 21, Bommanahalli Industrial Area",
                           city: "Bengaluru", state: "Karnataka"),
    ]
    /// PINs Delhivery does not deliver to, where COD is off, and embargoed ones.
    public var nonServiceablePins: Set<String> = ["744301", "194109"]
    public var codBlockedPins: Set<String> = ["744101"]
    public var embargoPins: Set<String> = ["799001"]
    /// First digits of generated waybills (Delhivery waybills are 14 digits).
    public var waybillPrefix = "1490"

    /// Scan Push target and the value sent verbatim in the `Authorization` header.
    public var webhookURL: String?
    public var webhookToken: String? = "dlv-scan-push-0123456789abcdef"
    public var webhookDelivery = WebhookDeliveryConfig()
    public var autoPushWebhooks = true
    public var scenarioWeights = ScenarioWeights()

    public var faults: FaultPlan = .none
    public var rateLimits = DelhiveryRateLimits()
    /// Simulated seconds before an NDR request's (UPL's) outcome shows: until
    /// then `get_bulk_upl` reads "In Progress" with no per-waybill result.
    /// Delhivery applies NDR instructions in batches (re-attempts after 21:00),
    /// so clients must come back for the outcome. 0 decides at once.
    public var ndrDecisionSeconds: Int64 = 0

    public init() {}
}
