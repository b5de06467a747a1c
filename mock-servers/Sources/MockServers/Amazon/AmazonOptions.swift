/// Everything that shapes an Amazon SP-API mock; defaults are one seller on
/// amazon.in with Login with Amazon credentials in the real formats.
public struct AmazonMockOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    /// Also serve Login with Amazon on its own port (real LWA is another host,
    /// api.amazon.com); nil = only on the SP-API port. 0 = any free port.
    public var lwaPort: Int?
    public var seed: UInt64 = 1
    public var orderCount = 200
    /// Epoch seconds of the simulated "now" at start; nil = wall clock (whole minute).
    public var startTime: Int64?
    public var liveClock = false
    public var historyDays = 30
    public var sellerID = "A2MOCKSELLER7QZ"
    public var marketplaceID = "A21TJRUUN4KGV"
    public var clientID = "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef"
    public var clientSecret = "amzn1.oa2-cs.v1.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    public var refreshToken = "Atzr|IwEBIMockRefreshToken0123456789abcdefghijklmnopqrstuvwxyz"
    /// Access token lifetime in simulated seconds (advance the clock to expire them).
    public var tokenLifetimeSeconds: Int64 = 3600
    public var rateLimits = AmazonRateLimits()
    public var faults: FaultPlan = .none
    /// Items per getOrderItems page before a NextToken is returned.
    public var orderItemsPageSize = 100
    /// Orders changed per simulated minute by `advance`; nil = about 0.2% of orders, at least 1.
    public var changesPerMinute: Double?

    public init() {}
}

/// The SP-API usage plans of Orders v0 (rate per second, burst), scaled by
/// `multiplier` so tests need not wait a minute per getOrders call.
public struct AmazonRateLimits: Sendable, Equatable {
    public var enabled = true
    /// Multiplies every rate (not the burst): 60 makes getOrders 1 req/s.
    public var multiplier: Double = 1
    public var getOrders = (rate: 0.0167, burst: 20)
    public var getOrder = (rate: 0.5, burst: 30)
    public var getOrderItems = (rate: 0.5, burst: 30)
    public var getOrderAddress = (rate: 0.5, burst: 30)
    public var getOrderBuyerInfo = (rate: 0.5, burst: 30)
    public var createRestrictedDataToken = (rate: 1.0, burst: 10)

    public init() {}

    public static let disabled: AmazonRateLimits = {
        var r = AmazonRateLimits()
        r.enabled = false
        return r
    }()

    public static func == (a: AmazonRateLimits, b: AmazonRateLimits) -> Bool {
        a.enabled == b.enabled && a.multiplier == b.multiplier && a.getOrders == b.getOrders && a.getOrder == b.getOrder
            && a.getOrderItems == b.getOrderItems && a.getOrderAddress == b.getOrderAddress
            && a.getOrderBuyerInfo == b.getOrderBuyerInfo && a.createRestrictedDataToken == b.createRestrictedDataToken
    }
}
