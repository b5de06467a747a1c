import AdapterKit
import AmazonAdapter
import BlueDartAdapter
import CustomCourierAdapter
import DelhiveryAdapter
import DTDCAdapter
import FlipkartAdapter
import MeeshoAdapter
import ShiprocketAdapter
import ShopifyAdapter
import WooCommerceAdapter

/// Every adapter the gateway ships. Adding a provider: a folder under
/// `adapters/`, a target in Package.swift, and one line here.
public enum AdapterCatalog {
    public static let entries: [PendingRegistration] = [
        .channel(Shopify.self),
        .channel(Amazon.self),
        .channel(Flipkart.self),
        .channel(Meesho.self),
        .channel(WooCommerce.self),
        .courier(Shiprocket.self),
        .courier(Delhivery.self),
        .courier(BlueDart.self),
        .courier(DTDC.self),
        .courier(CustomCourier.self),
    ]

    public static func registry() throws -> AdapterRegistry {
        try AdapterRegistry(entries)
    }
}
