/// Generated, never-changing parts of an amazon.in order, and the lifecycle
/// `advance` moves along.
struct AmazonProduct: Sendable {
    let asin: String
    let sku: String
    let title: String
    /// Tax-inclusive unit price in paise (Amazon.in prices include GST).
    let pricePaise: Int64
    let gstBP: Int64
}

enum AmazonCatalog {
    static let products: [AmazonProduct] = [
        AmazonProduct(asin: "B0CX7KRT01", sku: "KRT-COT-M-IND", title: "Jaipur Looms Women's Cotton Straight Kurta (M, Indigo)", pricePaise: 74_900, gstBP: 500),
        AmazonProduct(asin: "B0D2SAR0TL", sku: "SAR-CHD-TEAL", title: "Varanasi Weaves Chanderi Silk Saree with Blouse Piece (Teal)", pricePaise: 239_900, gstBP: 1200),
        AmazonProduct(asin: "B0BQEARPRO", sku: "EAR-PRO-BLK", title: "SoundBox India Wireless Earbuds Pro, 40H Playtime (Black)", pricePaise: 139_900, gstBP: 1800),
        AmazonProduct(asin: "B09BTLSS1L", sku: "BTL-SS1-SLV", title: "Kitchen Kraft Stainless Steel Water Bottle 1 Litre (Silver)", pricePaise: 42_900, gstBP: 1800),
        AmazonProduct(asin: "B07TEACTC5", sku: "TEA-CTC-500", title: "Brahmaputra Estates Assam CTC Tea, 500g", pricePaise: 32_500, gstBP: 500),
        AmazonProduct(asin: "B08SOAPNM3", sku: "SOP-NEM-3PK", title: "Ayur Naturals Handmade Neem Soap, Pack of 3", pricePaise: 27_900, gstBP: 1800),
        AmazonProduct(asin: "B0C9BEDBLK", sku: "BED-BLK-DBL", title: "Sanganer Prints Block Print Cotton Double Bedsheet with 2 Pillow Covers", pricePaise: 109_900, gstBP: 1200),
        AmazonProduct(asin: "B0B1DIYABR", sku: "DIY-BRS-5", title: "Moradabad Metals Brass Diya Set of 5", pricePaise: 59_900, gstBP: 1200),
    ]
}

struct AmazonItemBase: Sendable {
    let orderItemID: String
    let product: AmazonProduct
    let quantity: Int
    /// Tax-inclusive shipping charged on this item (paise).
    let shipping: Int64
    /// Promotion on this item (paise, tax-inclusive) and its id.
    let promotion: Int64
    let promotionID: String?
}

struct AmazonAddress: Sendable {
    let name: String
    let line1: String
    let line2: String?
    let city: String
    let state: String
    let postalCode: String
    let phone: String?
}

struct AmazonOrderBase: Sendable {
    let index: Int
    let amazonOrderID: String
    let purchaseDate: Int64
    let afn: Bool
    let isPrime: Bool
    let isBusiness: Bool
    let isCOD: Bool
    let items: [AmazonItemBase]
    let address: AmazonAddress
    let buyerName: String
    let buyerEmail: String
    let expedited: Bool
}

/// Orders v0 OrderStatus values the mock uses.
enum AmazonStatus: String, Sendable {
    case pending = "Pending"
    case unshipped = "Unshipped"
    case partiallyShipped = "PartiallyShipped"
    case shipped = "Shipped"
    case canceled = "Canceled"
    case unfulfillable = "Unfulfillable"
}

struct AmazonLifecycle: Sendable, Equatable {
    var status: AmazonStatus
    /// Payment was authorized at some point: prices are visible.
    var authorized: Bool
    /// Items (from the first) fully shipped.
    var shippedItems: Int
    var lastUpdate: Int64
}

struct AmazonOrderRecord: Sendable {
    let index: Int
    let amazonOrderID: String
    let purchaseDate: Int64
    var life: AmazonLifecycle
}
