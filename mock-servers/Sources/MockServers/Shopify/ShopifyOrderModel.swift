/// The generated parts of an order that never change once placed.
struct ShopifyAddress: Sendable {
    var firstName: String
    var lastName: String
    var company: String?
    var address1: String
    var address2: String?
    var city: String
    var province: String
    var provinceCode: String
    var zip: String
    var country: String
    var countryCode: String
    var phone: String?
}

struct ShopifyCustomer: Sendable {
    let id: Int64
    let firstName: String
    let lastName: String
    let email: String
    /// E.164, the way Shopify stores customer phones; nil for many customers.
    let phone: String?
    /// The buyer's mobile even when the profile has no phone (checkout phone).
    let mobile: String
    let createdAt: Int64
    let acceptsMarketing: Bool
    let defaultAddress: ShopifyAddress
}

struct ShopifyLineBase: Sendable {
    let product: ShopifyProduct
    let variant: Int
    let quantity: Int
    /// Unit price in shop currency minor units (tax-inclusive when the order is).
    let unitPrice: Int64
}

struct ShopifyOrderBase: Sendable {
    let index: Int
    let id: Int64
    let createdAt: Int64
    let customer: ShopifyCustomer
    let shippingAddress: ShopifyAddress
    let billingAddress: ShopifyAddress
    /// Order-level phone (checkout phone), E.164; often nil as on real orders.
    let phone: String?
    let email: String
    let lines: [ShopifyLineBase]
    let code: ShopifyDiscountCode?
    /// Line that gets the automatic "10% off" line-level discount.
    let automaticDiscountLine: Int?
    let shippingTitle: String
    let shippingCode: String
    let shippingPrice: Int64
    /// "Cash on Delivery (COD)" or a prepaid gateway.
    let gateway: String
    let isCOD: Bool
    /// Customer's currency; shop currency is always INR.
    let presentmentCurrency: String
    let taxesIncluded: Bool
    /// Buyer outside the shop's state: IGST instead of CGST+SGST.
    let interstate: Bool
    /// Export (non-IN address): zero-rated, no tax lines.
    let zeroRated: Bool
    let token: String
    let checkoutToken: String
    let cartToken: String
    let browserIP: String
    let confirmationNumber: String
    let sourceName: String
    let tags: String
    let note: String?
    let buyerAcceptsMarketing: Bool

    var number: Int { index + 1 }
    var orderNumber: Int { index + 1001 }
    var name: String { "#" + String(orderNumber) }
    var checkoutID: Int64 { 34_000_000_000_000 + Int64(index) }
    func lineItemID(_ k: Int) -> Int64 { 14_100_000_000_000 + Int64(index) * 10 + Int64(k) }
    var shippingLineID: Int64 { 4_800_000_000_000 + Int64(index) }
    func fulfillmentID(_ k: Int) -> Int64 { 5_000_000_000_000 + Int64(index) * 10 + Int64(k) }
    func refundID(_ k: Int) -> Int64 { 9_300_000_000_000 + Int64(index) * 10 + Int64(k) }
    func transactionID(_ k: Int) -> Int64 { 6_700_000_000_000 + Int64(index) * 10 + Int64(k) }
    func adjustmentID(_ k: Int) -> Int64 { 2_900_000_000_000 + Int64(index) * 10 + Int64(k) }
}

/// What happens to an order after it is placed; `advance` moves it along.
struct ShopifyLifecycle: Sendable, Equatable {
    /// pending, authorized, paid, partially_refunded, refunded, voided
    var financial: String
    /// First line fulfilled alone (fulfillment_status "partial").
    var partialAt: Int64?
    /// Every line fulfilled.
    var fulfilledAt: Int64?
    /// When a COD order's cash was collected.
    var paidAt: Int64?
    var cancelledAt: Int64?
    var cancelReason: String?
    var refundedAt: Int64?
    /// Full refund (everything incl. shipping) vs the last line only.
    var refundFull = false
    var closedAt: Int64?
    var updatedAt: Int64

    var isCancelled: Bool { cancelledAt != nil }
    var fulfillmentStatus: String? {
        if fulfilledAt != nil { return "fulfilled" }
        if partialAt != nil { return "partial" }
        return nil
    }
}

/// The mutable record the store keeps per order; the rest is regenerated.
struct ShopifyOrderRecord: Sendable {
    let index: Int
    let id: Int64
    let createdAt: Int64
    var life: ShopifyLifecycle
}
