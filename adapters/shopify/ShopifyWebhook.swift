import AdapterKit
import Crypto
import Foundation
import JSONCore

/// Shopify webhooks: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of
/// the raw body keyed with the app's client secret (`sales_channels.webhook_secret`).
enum ShopifyWebhook {
    static let hmacHeader = "X-Shopify-Hmac-Sha256"
    static let topicHeader = "X-Shopify-Topic"

    /// Topics whose body is a full order object. Shopify also sends
    /// orders/updated for every change, so these are idempotent repeats.
    static let orderTopics: Set<String> = [
        "orders/create", "orders/updated", "orders/cancelled", "orders/paid", "orders/fulfilled", "orders/partially_fulfilled",
    ]

    static func verify(_ request: WebhookRequest, secret: String?, header: String) -> Bool {
        guard let secret, !secret.isEmpty,
              let signature = request.header(header)?.trimmingWhitespace(),
              let mac = Data(base64Encoded: signature), mac.count == SHA256.byteCount else { return false }
        // isValidAuthenticationCode compares in constant time.
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: request.body, using: SymmetricKey(data: Data(secret.utf8)))
    }

    /// Base64 signature of `body` (tests and the demo's webhook sender).
    static func sign(_ body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    static func parse(_ request: WebhookRequest) throws -> [ChannelEvent] {
        guard let topic = request.header(topicHeader)?.trimmingWhitespace().lowercased(), !topic.isEmpty else {
            throw AdapterError.unrecognizedPayload("Shopify webhook without \(topicHeader) header")
        }
        guard orderTopics.contains(topic) else { return [.ignored(topic: topic)] }
        let records: [ShopifyRecord]
        do {
            records = try ShopifyReader.records(request.body)
        } catch {
            throw AdapterError.unrecognizedPayload("Shopify \(topic) webhook body: \(error)")
        }
        guard records.count == 1, let record = records.first else {
            throw AdapterError.unrecognizedPayload("Shopify \(topic) webhook body is not one order object")
        }
        return [.orderUpserted(try ShopifyOrderMapper.map(record))]
    }
}

extension Shopify {
    /// The signature Shopify would send for `body` (tests, demo).
    public static func webhookSignature(body: [UInt8], secret: String) -> String {
        ShopifyWebhook.sign(body, secret: secret)
    }
}
