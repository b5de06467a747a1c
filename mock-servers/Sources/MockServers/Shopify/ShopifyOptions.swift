/// Everything that shapes a Shopify mock; defaults are a small Standard-plan
/// store in Maharashtra selling in INR.
public struct ShopifyMockOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    public var seed: UInt64 = 1
    /// Orders present at start.
    public var orderCount = 200
    /// Epoch seconds of the simulated "now" at start; nil = wall clock (whole minute).
    public var startTime: Int64?
    /// Simulated clock follows the wall clock from `startTime` on.
    public var liveClock = false
    /// Initial orders are spread over this many days before the start.
    public var historyDays = 30
    public var shopDomain = "mock-kurta-store.myshopify.com"
    public var shopName = "Mock Kurta Store"
    /// Admin API access token expected in X-Shopify-Access-Token.
    public var accessToken = "shpat_0123456789abcdef0123456789abcdef"
    /// The app's client secret (API secret key) that signs webhooks.
    public var clientSecret = "shpss_0123456789abcdef0123456789abcdef"
    /// Scopes granted to the token; orders endpoints need read_orders.
    public var scopes = ["read_orders", "write_orders", "read_fulfillments", "write_fulfillments",
                         "read_merchant_managed_fulfillment_orders", "read_products", "read_inventory", "write_inventory"]
    /// The leaky bucket; `.disabled` for benchmarks.
    public var rateLimit: LeakyBucket.Config = .standard
    public var faults: FaultPlan = .none
    /// Orders changed per simulated minute by `advance`; nil = about 0.2% of orders, at least 1.
    public var changesPerMinute: Double?
    /// Keep each order's rendered JSON (about 8 KB an order) until it changes, so
    /// repeated pages cost a copy instead of a render; `ShopifyMock.prerender()`
    /// fills it up front. For benchmarks: real Shopify renders on its own machines.
    public var cacheRenderedOrders = false

    public init() {}
}
