/// A pickup location registered in the Shiprocket panel (orders name it exactly).
public struct ShiprocketPickupLocation: Sendable, Equatable {
    public var name: String
    public var pin: String
    public var address: String
    public var city: String
    public var state: String
    public var phone: String
    public var contactName: String
    public var email: String

    public init(name: String, pin: String, address: String, city: String, state: String,
                phone: String = "9820012345", contactName: String = "Warehouse Manager", email: String = "warehouse@mock-seller.in") {
        self.name = name
        self.pin = pin
        self.address = address
        self.city = city
        self.state = state
        self.phone = phone
        self.contactName = contactName
        self.email = email
    }
}

/// Everything that shapes a Shiprocket mock.
public struct ShiprocketMockOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    public var seed: UInt64 = 1
    /// Epoch seconds of the simulated "now" at start; nil = wall clock (whole minute).
    public var startTime: Int64?
    public var liveClock = false

    /// The API user's credentials (Settings > API > Add New API User).
    public var email = "api-user@mock-seller.in"
    public var password = "Mock#Api#2025"
    public var userID: Int64 = 3_634_560
    public var companyID: Int64 = 3_502_136
    public var firstName = "API"
    public var lastName = "User"
    /// JWT lifetime: 240 hours (10 days), as documented.
    public var tokenTTLHours = 240

    public var pickupLocations = [
        ShiprocketPickupLocation(name: "Primary", pin: "400069", address: "Unit 7, Andheri Industrial Estate, Off Veera Desai Road",
                                 city: "Mumbai", state: "Maharashtra"),
        ShiprocketPickupLocation(name: "Bengaluru WH", pin: "560068", address: "Plot 21, Bommanahalli Industrial Area",
                                 city: "Bengaluru", state: "Karnataka"),
    ]
    /// Delivery PINs no courier serves, and PINs where COD is not offered.
    public var unserviceablePins: Set<String> = ["744301", "194109"]
    public var codBlockedPins: Set<String> = ["744101"]
    /// The custom channel new adhoc orders land in.
    public var channelID: Int64 = 3_422_553

    /// Webhook target (panel: Settings > API > Webhooks) and the token sent verbatim in `webhookHeader`.
    public var webhookURL: String?
    public var webhookToken: String? = "sr-webhook-token-0123456789abcdef"
    public var webhookHeader = "x-api-key"
    public var webhookDelivery = WebhookDeliveryConfig()
    /// `advance` pushes due webhooks itself; off, they wait for `flushWebhooks`.
    public var autoPushWebhooks = true
    public var scenarioWeights = ScenarioWeights()

    public var faults: FaultPlan = .none
    /// Shiprocket publishes no limit; nil = never throttle. Set one to test 429 handling.
    public var rateLimit: TokenBucket.Config?

    public init() {}
}
