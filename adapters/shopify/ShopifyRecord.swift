import Foundation
import GatewayModel

/// The fields of a Shopify REST order the mapping uses, read in one pass by
/// `ShopifyReader` (shop-currency amounts only; `*_set` objects are skipped
/// except for the presentment total).
struct ShopifyRecord {
    var id: String?
    var name: String?
    var orderNumber: String?
    var createdAt: String?
    var updatedAt: String?
    var processedAt: String?
    var closedAt: String?
    var cancelledAt: String?
    var cancelReason: String?
    var sourceName: String?
    var currency: String?
    var presentmentCurrency: String?
    var presentmentTotal: Money?
    var taxesIncluded = false
    var financialStatus: String?
    var fulfillmentStatus: String?
    var gateway: String?
    var gatewayNames: [String] = []
    var email: String?
    var contactEmail: String?
    var phone: String?
    var note: String?
    var tags: String?
    var test = false
    var totalPrice: Money?
    var totalDiscounts: Money?
    var totalTax: Money?
    var totalLineItemsPrice: Money?
    var totalShipping: Money?
    var discountCodes: [String] = []
    var cardCompany: String?
    var customer: Person?
    var shippingAddress: PostalAddress?
    var billingAddress: PostalAddress?
    /// nil when the payload has no `line_items` key (then the order is not recognized).
    var lineItems: [Line]?
    var shippingLines: [Money]?
    /// nil when the payload has no `fulfillments` key (e.g. a `fields=` filter).
    var fulfillments: [Fulfillment]?
    var refunds: [Refund] = []

    /// An id plus an order-only field: customers and products also have ids.
    var looksLikeOrder: Bool { id != nil && (lineItems != nil || financialStatus != nil || orderNumber != nil) }

    struct Person {
        var id: String?
        var firstName: String?
        var lastName: String?
        var phone: String?
        var email: String?
    }

    struct PostalAddress {
        var name: String?
        var firstName: String?
        var lastName: String?
        var phone: String?
        var address1: String?
        var address2: String?
        var city: String?
        var province: String?
        var zip: String?
        var country: String?
        var countryCode: String?
        var company: String?
    }

    struct Line {
        var id: String?
        var productID: String?
        var variantID: String?
        var sku: String?
        var title: String?
        var variantTitle: String?
        var name: String?
        var price: Money?
        var quantity = 0
        var fulfillableQuantity: Int?
        var currentQuantity: Int?
        var totalDiscount: Money?
        /// nil when the key is absent (older API versions): fall back to total_discount.
        var allocations: Money?
        var tax = Money.zero
    }

    struct Fulfillment {
        var id: String?
        var status: String?
        var createdAt: String?
        var trackingCompany: String?
        var trackingNumber: String?
        var shipmentStatus: String?
        var lines: [(id: String, quantity: Int)] = []
    }

    struct Refund {
        var processedAt: String?
        var createdAt: String?
        /// Successful refund transactions.
        var amount = Money.zero
        var quantity = 0
        var returned = false
    }
}
