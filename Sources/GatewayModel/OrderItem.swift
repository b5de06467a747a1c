import JSONCore

/// One line of a `UnifiedOrder`: mirrors `order_items` minus the columns the store owns
/// (id, order_id, product_id, variant_id, created_at), which it resolves itself.
public struct UnifiedOrderItem: Sendable, Hashable {
    public var externalProductId: String?
    public var externalVariantId: String?
    public var sku: String?
    public var name: String
    public var quantity: Int
    public var unitPrice: Money
    public var discountAmount: Money
    public var taxAmount: Money
    /// The channel's line total, kept as sent (see `UnifiedOrder.flagAmountMismatch`).
    public var totalAmount: Money
    public var fulfilledQuantity: Int
    public var metadata: JSONObject

    public init(externalProductId: String? = nil, externalVariantId: String? = nil, sku: String? = nil,
                name: String, quantity: Int, unitPrice: Money, discountAmount: Money = .zero,
                taxAmount: Money = .zero, totalAmount: Money, fulfilledQuantity: Int = 0,
                metadata: JSONObject = JSONObject([])) {
        self.externalProductId = externalProductId
        self.externalVariantId = externalVariantId
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discountAmount = discountAmount
        self.taxAmount = taxAmount
        self.totalAmount = totalAmount
        self.fulfilledQuantity = fulfilledQuantity
        self.metadata = metadata
    }

    /// unit_price x quantity: this line's share of the order `subtotal` (before discounts).
    public var lineSubtotal: Money { unitPrice * quantity }
}

extension UnifiedOrderItem: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case externalProductId = "external_product_id"
        case externalVariantId = "external_variant_id"
        case sku, name, quantity
        case unitPrice = "unit_price"
        case discountAmount = "discount_amount"
        case taxAmount = "tax_amount"
        case totalAmount = "total_amount"
        case fulfilledQuantity = "fulfilled_quantity"
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        externalProductId = try c.decodeIfPresent(String.self, forKey: .externalProductId)
        externalVariantId = try c.decodeIfPresent(String.self, forKey: .externalVariantId)
        sku = try c.decodeIfPresent(String.self, forKey: .sku)
        name = try c.decode(String.self, forKey: .name)
        quantity = try c.decode(Int.self, forKey: .quantity)
        unitPrice = try c.decode(Money.self, forKey: .unitPrice)
        // Seed defaults: DEFAULT 0 for the adjustments and fulfilled quantity.
        discountAmount = try c.decodeIfPresent(Money.self, forKey: .discountAmount) ?? .zero
        taxAmount = try c.decodeIfPresent(Money.self, forKey: .taxAmount) ?? .zero
        totalAmount = try c.decode(Money.self, forKey: .totalAmount)
        fulfilledQuantity = try c.decodeIfPresent(Int.self, forKey: .fulfilledQuantity) ?? 0
        metadata = try c.decodeMetadata(forKey: .metadata)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(externalProductId, forKey: .externalProductId)
        try c.encode(externalVariantId, forKey: .externalVariantId)
        try c.encode(sku, forKey: .sku)
        try c.encode(name, forKey: .name)
        try c.encode(quantity, forKey: .quantity)
        try c.encode(unitPrice, forKey: .unitPrice)
        try c.encode(discountAmount, forKey: .discountAmount)
        try c.encode(taxAmount, forKey: .taxAmount)
        try c.encode(totalAmount, forKey: .totalAmount)
        try c.encode(fulfilledQuantity, forKey: .fulfilledQuantity)
        try c.encode(JSON.object(metadata), forKey: .metadata)
    }
}

extension KeyedDecodingContainer {
    /// A JSONB metadata column: an object, or absent/null meaning `{}`.
    func decodeMetadata(forKey key: Key) throws -> JSONObject {
        switch try decodeIfPresent(JSON.self, forKey: key) {
        case .none, .some(.null): return JSONObject([])
        case .some(.object(let o)): return o
        case .some: throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "metadata must be a JSON object")
        }
    }
}
