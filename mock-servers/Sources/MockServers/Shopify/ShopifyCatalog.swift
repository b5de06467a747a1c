/// The store's products. Prices are tax-inclusive INR (paise) with the GST
/// rate of the product's HSN class, as Indian stores configure Shopify.
struct ShopifyProduct: Sendable {
    let index: Int
    let title: String
    let vendor: String
    let productType: String
    let skuStem: String
    let variants: [String]
    let pricePaise: Int64
    let compareAtPaise: Int64?
    /// GST in basis points (500 = 5%).
    let gstBP: Int64
    let grams: Int

    var productID: Int64 { 8_100_000_000_000 + Int64(index) * 1_000 }
    func variantID(_ v: Int) -> Int64 { 45_000_000_000_000 + Int64(index) * 100 + Int64(v) }
    func sku(_ v: Int) -> String { ShopifyCatalog.skus[index][v] }

    /// "KRT-COT-S-INDIGO" from stem and variant title.
    func makeSKU(_ v: Int) -> String {
        if variants[v] == "Default Title" { return skuStem }
        let variant = variants[v].uppercased().replacingOccurrences(of: " / ", with: "-").replacingOccurrences(of: " ", with: "")
        return skuStem + "-" + variant
    }
}

enum ShopifyCatalog {
    /// Computed once: SKUs are rendered several times per order.
    static let skus: [[String]] = products.map { p in p.variants.indices.map { p.makeSKU($0) } }

    static let products: [ShopifyProduct] = [
        ShopifyProduct(index: 0, title: "Cotton Straight Kurta", vendor: "Jaipur Looms", productType: "Kurta", skuStem: "KRT-COT",
                       variants: ["S / Indigo", "M / Indigo", "L / Mustard", "XL / Mustard"], pricePaise: 79_900, compareAtPaise: 129_900, gstBP: 500, grams: 250),
        ShopifyProduct(index: 1, title: "Chanderi Silk Saree", vendor: "Varanasi Weaves", productType: "Saree", skuStem: "SAR-CHD",
                       variants: ["Maroon", "Teal", "Peach"], pricePaise: 249_900, compareAtPaise: 349_900, gstBP: 1200, grams: 650),
        ShopifyProduct(index: 2, title: "Wireless Earbuds Pro", vendor: "SoundBox India", productType: "Electronics", skuStem: "EAR-PRO",
                       variants: ["Black", "White"], pricePaise: 149_900, compareAtPaise: 299_900, gstBP: 1800, grams: 120),
        ShopifyProduct(index: 3, title: "Stainless Steel Water Bottle 1L", vendor: "Kitchen Kraft", productType: "Kitchen", skuStem: "BTL-SS1",
                       variants: ["Silver", "Matte Black"], pricePaise: 44_900, compareAtPaise: nil, gstBP: 1800, grams: 300),
        ShopifyProduct(index: 4, title: "Assam CTC Tea 500g", vendor: "Brahmaputra Estates", productType: "Grocery", skuStem: "TEA-CTC-500G",
                       variants: ["Default Title"], pricePaise: 34_900, compareAtPaise: nil, gstBP: 500, grams: 520),
        ShopifyProduct(index: 5, title: "Handmade Neem Soap (Pack of 3)", vendor: "Ayur Naturals", productType: "Personal Care", skuStem: "SOP-NEM-3PK",
                       variants: ["Default Title"], pricePaise: 29_900, compareAtPaise: 39_900, gstBP: 1800, grams: 330),
        ShopifyProduct(index: 6, title: "Block Print Cotton Bedsheet", vendor: "Sanganer Prints", productType: "Home", skuStem: "BED-BLK",
                       variants: ["Double / Blue", "Double / Pink", "King / Blue"], pricePaise: 119_900, compareAtPaise: 189_900, gstBP: 1200, grams: 900),
        ShopifyProduct(index: 7, title: "Kolhapuri Leather Chappal", vendor: "Kolhapur Crafts", productType: "Footwear", skuStem: "CHP-KOL",
                       variants: ["UK 7", "UK 8", "UK 9", "UK 10"], pricePaise: 89_900, compareAtPaise: 149_900, gstBP: 500, grams: 600),
        ShopifyProduct(index: 8, title: "Brass Diya Set (Set of 5)", vendor: "Moradabad Metals", productType: "Decor", skuStem: "DIY-BRS-SET5",
                       variants: ["Default Title"], pricePaise: 64_900, compareAtPaise: nil, gstBP: 1200, grams: 450),
        ShopifyProduct(index: 9, title: "Printed Phone Cover", vendor: "CaseCraft", productType: "Accessories", skuStem: "CVR-PRN",
                       variants: ["iPhone 15 / Madhubani", "Galaxy S24 / Madhubani", "OnePlus 12 / Warli"], pricePaise: 29_900, compareAtPaise: 59_900, gstBP: 1800, grams: 60),
    ]
}

/// Discount codes customers use at checkout.
struct ShopifyDiscountCode: Sendable {
    let code: String
    /// "percentage" (value in basis points) or "fixed_amount" (value in paise).
    let valueType: String
    let value: Int64

    static let all: [ShopifyDiscountCode] = [
        ShopifyDiscountCode(code: "WELCOME10", valueType: "percentage", value: 1_000),
        ShopifyDiscountCode(code: "DIWALI15", valueType: "percentage", value: 1_500),
        ShopifyDiscountCode(code: "FLAT100", valueType: "fixed_amount", value: 10_000),
    ]
}
