import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Shopify Admin REST API: connection test, incremental order pull,
/// normalization and order webhooks.
///
/// Pull cursor: the first page asks for `status=any`, `order=updated_at asc`
/// and `updated_at_min = watermark − 10 s` (the overlap catches orders
/// written in the same second as the last pull's newest one; the engine's
/// upsert is idempotent). Later pages follow the `Link: rel="next"` URL
/// exactly as Shopify returns it (page_info plus limit only). The watermark
/// stays put until the last page, which sets it to the newest `updated_at`
/// seen during the pull. Keyset paging on updated_at ascending means an
/// order changed mid-pull moves to a later page: it is seen again, never missed.
public struct Shopify: ChannelAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    /// Overlap of each pull with the previous one.
    public static let watermarkOverlap: TimeInterval = 10

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }

    /// `GET /admin/api/{version}/shop.json`: the token works for this shop.
    public func testConnection(_ connection: Connection) async throws {
        let client = try ShopifyClient(context: context, connection: connection)
        client.warnIfUnsupportedVersion()
        let response: OutboundResponse
        do {
            response = try await client.get(client.adminBase + "/shop.json", operation: "shop.get", timeout: .seconds(20))
        } catch AdapterError.upstream(let status, let body) where status == 404 {
            throw AdapterError.upstream(status: 404, body: "no Shopify Admin API at \(client.base) (check shop_domain): \(body)")
        }
        guard case .object? = try response.json(context: "Shopify shop.json")["shop"] else {
            throw AdapterError.malformedResponse("Shopify shop.json has no \"shop\" object")
        }
    }

    public func fetchOrders(_ connection: Connection, after cursor: SyncCursor?) async throws -> OrderPage {
        let client = try ShopifyClient(context: context, connection: connection)
        let url: String
        var high: Date?
        if let token = cursor?.pageToken {
            url = try client.resolvePageToken(token)
            high = cursor?.pendingWatermark
        } else {
            client.warnIfUnsupportedVersion()
            let since = cursor?.watermark.map { Date(timeIntervalSince1970: ($0.timeIntervalSince1970 - Self.watermarkOverlap).rounded(.down)) }
            url = client.firstPageURL(updatedAtMin: since)
        }
        let response: OutboundResponse
        do {
            response = try await client.get(url, operation: "orders.list")
        } catch AdapterError.upstream(let status, _) where status == 400 && cursor?.pageToken != nil {
            // A stored page_info Shopify no longer accepts: start the pull again from the
            // unchanged watermark (upserts are idempotent) rather than fail on every run.
            context.logger.warning("Shopify rejected the stored page token; restarting the pull", metadata: ["connection": "\(connection.id)"])
            return try await fetchOrders(connection, after: SyncCursor(watermark: cursor?.watermark))
        }
        let records: [ShopifyRecord]
        do {
            records = try ShopifyReader.records(response.body)
        } catch {
            throw AdapterError.malformedResponse("Shopify orders.json: \(error) (\(response.body.count) bytes)")
        }
        var orders: [UnifiedOrder] = []
        orders.reserveCapacity(records.count)
        for record in records {
            if let updated = record.updatedAt.flatMap({ DateCoding.parse($0) }), high.map({ updated > $0 }) ?? true { high = updated }
            do {
                orders.append(try ShopifyOrderMapper.map(record))
            } catch {
                // One broken order must not stall the pull for every other order.
                context.logger.error("skipping a Shopify order that does not normalize",
                                     metadata: ["order_id": "\(record.id ?? "?")", "error": "\(error)"])
            }
        }
        if let next = try client.nextPageURL(response) {
            return OrderPage(orders: orders, next: SyncCursor(watermark: cursor?.watermark, pageToken: next, pendingWatermark: high),
                             complete: false)
        }
        return OrderPage(orders: orders, next: SyncCursor(watermark: high ?? cursor?.watermark), complete: true)
    }

    /// Accepts single orders, `{"order": …}`, `{"orders": […]}` pages and webhook bodies.
    public func normalizeOrders(_ payloads: [JSON]) throws -> [UnifiedOrder] {
        try Self.normalize(payloads)
    }

    /// `normalizeOrders` without an adapter instance (CLI, benchmarks): normalization needs no context.
    public static func normalize(_ payloads: [JSON]) throws(AdapterError) -> [UnifiedOrder] {
        var result: [UnifiedOrder] = []
        for (index, payload) in payloads.enumerated() {
            for record in try ShopifyPayload.records(in: payload, index: index) {
                result.append(try ShopifyOrderMapper.map(record))
            }
        }
        return result
    }

    /// The hot path: raw bytes of a page, `{"order": …}` or a webhook body,
    /// read in one pass without building a JSON tree.
    public static func normalize(bytes: [UInt8]) throws(AdapterError) -> [UnifiedOrder] {
        var result: [UnifiedOrder] = []
        for record in try ShopifyReader.records(bytes) {
            result.append(try ShopifyOrderMapper.map(record))
        }
        return result
    }

    public func verifyWebhook(_ request: WebhookRequest, _ connection: Connection) -> Bool {
        ShopifyWebhook.verify(request, secret: connection.webhookSecret, header: context.manifest.webhook?.header ?? ShopifyWebhook.hmacHeader)
    }

    public func parseWebhook(_ request: WebhookRequest) throws -> [ChannelEvent] {
        try ShopifyWebhook.parse(request)
    }
}
