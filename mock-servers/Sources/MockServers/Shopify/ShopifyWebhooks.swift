import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A webhook delivery exactly as Shopify sends it: the order's REST JSON as
/// the body, signed with the app's client secret.
public struct ShopifyWebhookDelivery: Sendable {
    public let topic: String
    public let body: [UInt8]
    /// Header name → value, in the order Shopify sends them.
    public let headers: [(String, String)]

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Base64 HMAC-SHA256 of `body` keyed with `secret`: what X-Shopify-Hmac-Sha256 carries.
    public static func signature(body: [UInt8], secret: String) -> String {
        Data(HMACSHA256.mac(key: secret, message: body)).base64EncodedString()
    }
}

public enum ShopifyWebhookTopic: String, Sendable, CaseIterable {
    case ordersCreate = "orders/create"
    case ordersUpdated = "orders/updated"
    case ordersCancelled = "orders/cancelled"
    case ordersPaid = "orders/paid"
    case ordersFulfilled = "orders/fulfilled"
    case ordersPartiallyFulfilled = "orders/partially_fulfilled"
}

enum ShopifyWebhookBuilder {
    /// RFC 4122-shaped id from a deterministic stream.
    static func uuid(_ g: inout SplitMix64) -> String {
        g.hex(8) + "-" + g.hex(4) + "-4" + g.hex(3) + "-" + ["8", "9", "a", "b"][Int(g.next() % 4)] + g.hex(3) + "-" + g.hex(12)
    }

    static func build(order v: ShopifyOrderView, topic: String, options o: ShopifyMockOptions, apiVersion: String,
                      render: ShopifyRenderContext, deliverySeq: UInt64, now: Int64) -> ShopifyWebhookDelivery {
        var w = JSONWriter(capacity: 8192)
        ShopifyOrderJSON.write(v, render, fields: nil, into: &w)
        let body = w.bytes
        var ids = SplitMix64.derive(seed: o.seed, stream: 0x3E6, index: deliverySeq)
        // The event id identifies the change, the same for every subscription.
        var ev = SplitMix64.derive(seed: UInt64(bitPattern: v.base.id), stream: UInt64(v.life.updatedAt), index: UInt64(topic.utf8.count))
        let headers: [(String, String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", "Shopify-Captain-Hook"),
            ("X-Shopify-Topic", topic),
            ("X-Shopify-Hmac-Sha256", ShopifyWebhookDelivery.signature(body: body, secret: o.clientSecret)),
            ("X-Shopify-Shop-Domain", o.shopDomain),
            ("X-Shopify-Order-Id", String(v.base.id)),
            ("X-Shopify-Test", "false"),
            ("X-Shopify-API-Version", apiVersion),
            ("X-Shopify-Webhook-Id", uuid(&ids)),
            ("X-Shopify-Event-Id", uuid(&ev)),
            ("X-Shopify-Triggered-At", Timestamp.format(now).replacingOccurrences(of: "Z", with: ".000000000Z")),
        ]
        return ShopifyWebhookDelivery(topic: topic, body: body, headers: headers)
    }
}

/// POSTs deliveries (webhooks) to an HTTP endpoint.
public enum WebhookSender {
    public struct Result: Sendable {
        public let status: Int
        public let body: [UInt8]
    }

    public enum SendError: Error, CustomStringConvertible {
        case badURL(String)
        case transport(String)
        public var description: String {
            switch self {
            case let .badURL(u): return "bad URL: \(u)"
            case let .transport(m): return "webhook POST failed: \(m)"
            }
        }
    }

    public static func post(url: String, body: [UInt8], headers: [(String, String)], timeout: TimeInterval = 10) async throws -> Result {
        guard let u = URL(string: url) else { throw SendError.badURL(url) }
        var request = URLRequest(url: u, timeoutInterval: timeout)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(body)
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return Result(status: status, body: Array(data))
        } catch {
            throw SendError.transport(String(describing: error))
        }
    }
}
