import Foundation
import JSONCore

/// An order from any channel in the unified model: mirrors the seed `orders` table minus the
/// columns the store owns (id, channel_id, created_at, updated_at).
///
/// Money identity and mismatch flagging: `OrderAmounts.swift`. Change detection: `contentHash`.
public struct UnifiedOrder: Sendable, Hashable {
    public var orderNumber: String
    public var externalOrderId: String
    public var externalOrderNumber: String?

    public var status: OrderStatus
    public var paymentStatus: PaymentStatus
    public var fulfillmentStatus: FulfillmentStatus

    public var customerName: String
    public var customerEmail: String?
    /// E.164 when it could be normalized, otherwise the channel's text (see `PhoneNumber.normalizedText`).
    public var customerPhone: String?

    public var shippingAddress: Address
    public var billingAddress: Address?

    /// Line total before discounts (sum of unit_price x quantity).
    public var subtotal: Money
    public var discountAmount: Money
    public var taxAmount: Money
    public var shippingAmount: Money
    /// The channel's grand total, kept as sent even when it does not add up.
    public var totalAmount: Money
    /// ISO 4217, upper case ("INR").
    public var currency: String

    public var paymentMethod: PaymentMethod?
    public var paymentGateway: String?
    public var paymentReference: String?

    public var orderDate: Date
    public var confirmedAt: Date?
    public var shippedAt: Date?
    public var deliveredAt: Date?
    public var cancelledAt: Date?

    public var notes: String?
    public var tags: [String]
    /// JSONB; known keys: `taxes_included` (bool), `amount_mismatch` (object, set by the gateway).
    public var metadata: JSONObject
    public var items: [UnifiedOrderItem]

    public init(orderNumber: String, externalOrderId: String, externalOrderNumber: String? = nil,
                status: OrderStatus = .pending, paymentStatus: PaymentStatus = .pending,
                fulfillmentStatus: FulfillmentStatus = .unfulfilled,
                customerName: String, customerEmail: String? = nil, customerPhone: String? = nil,
                shippingAddress: Address, billingAddress: Address? = nil,
                subtotal: Money, discountAmount: Money = .zero, taxAmount: Money = .zero,
                shippingAmount: Money = .zero, totalAmount: Money, currency: String = "INR",
                paymentMethod: PaymentMethod? = nil, paymentGateway: String? = nil, paymentReference: String? = nil,
                orderDate: Date, confirmedAt: Date? = nil, shippedAt: Date? = nil, deliveredAt: Date? = nil,
                cancelledAt: Date? = nil, notes: String? = nil, tags: [String] = [],
                metadata: JSONObject = JSONObject([]), items: [UnifiedOrderItem] = []) {
        self.orderNumber = orderNumber
        self.externalOrderId = externalOrderId
        self.externalOrderNumber = externalOrderNumber
        self.status = status
        self.paymentStatus = paymentStatus
        self.fulfillmentStatus = fulfillmentStatus
        self.customerName = customerName
        self.customerEmail = customerEmail
        self.customerPhone = PhoneNumber.normalizedText(customerPhone)
        self.shippingAddress = shippingAddress
        self.billingAddress = billingAddress
        self.subtotal = subtotal
        self.discountAmount = discountAmount
        self.taxAmount = taxAmount
        self.shippingAmount = shippingAmount
        self.totalAmount = totalAmount
        self.currency = currency.uppercased()
        self.paymentMethod = paymentMethod
        self.paymentGateway = paymentGateway
        self.paymentReference = paymentReference
        self.orderDate = orderDate
        self.confirmedAt = confirmedAt
        self.shippedAt = shippedAt
        self.deliveredAt = deliveredAt
        self.cancelledAt = cancelledAt
        self.notes = notes
        self.tags = tags
        self.metadata = metadata
        self.items = items
    }

    /// Three ASCII letters (ISO 4217 shape; the code list itself is not checked).
    public static func isValidCurrencyCode(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase && $0.isLetter }
    }
}

extension UnifiedOrder: Codable {
    /// Exactly the seed column names; `items` holds the order_items rows.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case orderNumber = "order_number"
        case externalOrderId = "external_order_id"
        case externalOrderNumber = "external_order_number"
        case status
        case paymentStatus = "payment_status"
        case fulfillmentStatus = "fulfillment_status"
        case customerName = "customer_name"
        case customerEmail = "customer_email"
        case customerPhone = "customer_phone"
        case shippingAddress = "shipping_address"
        case billingAddress = "billing_address"
        case subtotal
        case discountAmount = "discount_amount"
        case taxAmount = "tax_amount"
        case shippingAmount = "shipping_amount"
        case totalAmount = "total_amount"
        case currency
        case paymentMethod = "payment_method"
        case paymentGateway = "payment_gateway"
        case paymentReference = "payment_reference"
        case orderDate = "order_date"
        case confirmedAt = "confirmed_at"
        case shippedAt = "shipped_at"
        case deliveredAt = "delivered_at"
        case cancelledAt = "cancelled_at"
        case notes, tags, metadata, items
    }

    /// Public list of the JSON keys, for adapters' and store tests.
    public static var jsonKeys: [String] { CodingKeys.allCases.map(\.rawValue) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let currency = try c.decodeIfPresent(String.self, forKey: .currency)?.uppercased() ?? "INR"
        guard UnifiedOrder.isValidCurrencyCode(currency) else {
            throw DecodingError.dataCorruptedError(forKey: .currency, in: c, debugDescription: "currency must be an ISO 4217 code")
        }
        self.init(
            orderNumber: try c.decode(String.self, forKey: .orderNumber),
            externalOrderId: try c.decode(String.self, forKey: .externalOrderId),
            externalOrderNumber: try c.decodeIfPresent(String.self, forKey: .externalOrderNumber),
            // Missing statuses and amounts take the seed's column defaults.
            status: try c.decodeIfPresent(OrderStatus.self, forKey: .status) ?? .pending,
            paymentStatus: try c.decodeIfPresent(PaymentStatus.self, forKey: .paymentStatus) ?? .pending,
            fulfillmentStatus: try c.decodeIfPresent(FulfillmentStatus.self, forKey: .fulfillmentStatus) ?? .unfulfilled,
            customerName: try c.decode(String.self, forKey: .customerName),
            customerEmail: try c.decodeIfPresent(String.self, forKey: .customerEmail),
            customerPhone: try c.decodeIfPresent(String.self, forKey: .customerPhone),
            shippingAddress: try c.decode(Address.self, forKey: .shippingAddress),
            billingAddress: try c.decodeIfPresent(Address.self, forKey: .billingAddress),
            subtotal: try c.decode(Money.self, forKey: .subtotal),
            discountAmount: try c.decodeIfPresent(Money.self, forKey: .discountAmount) ?? .zero,
            taxAmount: try c.decodeIfPresent(Money.self, forKey: .taxAmount) ?? .zero,
            shippingAmount: try c.decodeIfPresent(Money.self, forKey: .shippingAmount) ?? .zero,
            totalAmount: try c.decode(Money.self, forKey: .totalAmount),
            currency: currency,
            paymentMethod: try c.decodeIfPresent(PaymentMethod.self, forKey: .paymentMethod),
            paymentGateway: try c.decodeIfPresent(String.self, forKey: .paymentGateway),
            paymentReference: try c.decodeIfPresent(String.self, forKey: .paymentReference),
            orderDate: try c.decodeDate(forKey: .orderDate),
            confirmedAt: try c.decodeDateIfPresent(forKey: .confirmedAt),
            shippedAt: try c.decodeDateIfPresent(forKey: .shippedAt),
            deliveredAt: try c.decodeDateIfPresent(forKey: .deliveredAt),
            cancelledAt: try c.decodeDateIfPresent(forKey: .cancelledAt),
            notes: try c.decodeIfPresent(String.self, forKey: .notes),
            tags: try c.decodeIfPresent([String].self, forKey: .tags) ?? [],
            metadata: try c.decodeMetadata(forKey: .metadata),
            items: try c.decodeIfPresent([UnifiedOrderItem].self, forKey: .items) ?? [])
    }

    /// Every key is always written (null when absent): a stable shape for JSONB and fingerprints.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(orderNumber, forKey: .orderNumber)
        try c.encode(externalOrderId, forKey: .externalOrderId)
        try c.encode(externalOrderNumber, forKey: .externalOrderNumber)
        try c.encode(status, forKey: .status)
        try c.encode(paymentStatus, forKey: .paymentStatus)
        try c.encode(fulfillmentStatus, forKey: .fulfillmentStatus)
        try c.encode(customerName, forKey: .customerName)
        try c.encode(customerEmail, forKey: .customerEmail)
        try c.encode(customerPhone, forKey: .customerPhone)
        try c.encode(shippingAddress, forKey: .shippingAddress)
        try c.encode(billingAddress, forKey: .billingAddress)
        try c.encode(subtotal, forKey: .subtotal)
        try c.encode(discountAmount, forKey: .discountAmount)
        try c.encode(taxAmount, forKey: .taxAmount)
        try c.encode(shippingAmount, forKey: .shippingAmount)
        try c.encode(totalAmount, forKey: .totalAmount)
        try c.encode(currency, forKey: .currency)
        try c.encode(paymentMethod, forKey: .paymentMethod)
        try c.encode(paymentGateway, forKey: .paymentGateway)
        try c.encode(paymentReference, forKey: .paymentReference)
        try c.encodeDate(orderDate, forKey: .orderDate)
        try c.encodeDate(confirmedAt, forKey: .confirmedAt)
        try c.encodeDate(shippedAt, forKey: .shippedAt)
        try c.encodeDate(deliveredAt, forKey: .deliveredAt)
        try c.encodeDate(cancelledAt, forKey: .cancelledAt)
        try c.encode(notes, forKey: .notes)
        try c.encode(tags, forKey: .tags)
        try c.encode(JSON.object(metadata), forKey: .metadata)
        try c.encode(items, forKey: .items)
    }
}
