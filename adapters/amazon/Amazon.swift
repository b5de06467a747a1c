import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Amazon Selling Partner API, Orders v0 with Login with Amazon (MWS was
/// retired in 2024). No webhooks: SP-API notifications go to SQS/EventBridge only.
///
/// Pull cursor: the first page asks getOrders for `LastUpdatedAfter =
/// watermark − 60 s` (or 30 days back on the first pull; `settings.initial_sync_days`
/// changes that); later pages send only MarketplaceIds + NextToken, as SP-API
/// requires. Each order's items come from getOrderItems (+ its NextToken).
/// The watermark stays put until the last page, which sets it to the
/// response's `LastUpdatedBefore` (SP-API's own upper bound of the result
/// set), or the newest LastUpdateDate when that is absent.
public struct Amazon: ChannelAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    public static let watermarkOverlap: TimeInterval = 60
    public static let defaultInitialSyncDays = 30

    let context: AdapterContext

    public init(context: AdapterContext) {
        self.context = context
    }

    /// LWA exchange + a one-order getOrders: credentials, app authorization and marketplace all work.
    public func testConnection(_ connection: Connection) async throws {
        let client = try AmazonClient(context: context, connection: connection)
        let since = DateCoding.format(Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 86_400).rounded(.down)))
        let query = URLQuery.encode([("MarketplaceIds", client.marketplaceID), ("CreatedAfter", since), ("MaxResultsPerPage", "1")])
        let json = try await client.get("/orders/v0/orders?" + query, operation: "getOrders")
        guard json["payload"]?["Orders"]?.arrayValue != nil else {
            throw AdapterError.malformedResponse("getOrders answer without payload.Orders")
        }
    }

    public func fetchOrders(_ connection: Connection, after cursor: SyncCursor?) async throws -> OrderPage {
        let client = try AmazonClient(context: context, connection: connection)
        var query: [(String, String)] = [("MarketplaceIds", client.marketplaceID)]
        if let token = cursor?.pageToken {
            query.append(("NextToken", token))
        } else {
            let days = connection.settings["initial_sync_days"]?.numberValue?.intValue ?? Self.defaultInitialSyncDays
            let after = cursor?.watermark.map { $0.timeIntervalSince1970 - Self.watermarkOverlap }
                ?? Date().timeIntervalSince1970 - Double(days) * 86_400
            query.append(("LastUpdatedAfter", DateCoding.format(Date(timeIntervalSince1970: after.rounded(.down)))))
            query.append(("MaxResultsPerPage", "100"))
        }
        let page: JSON
        do {
            page = try await client.get("/orders/v0/orders?" + URLQuery.encode(query), operation: "getOrders")
        } catch AdapterError.upstream(let status, _) where status == 400 && cursor?.pageToken != nil {
            // An expired or damaged NextToken: start the pull again from the unchanged watermark.
            context.logger.warning("SP-API rejected the stored NextToken; restarting the pull", metadata: ["connection": "\(connection.id)"])
            return try await fetchOrders(connection, after: SyncCursor(watermark: cursor?.watermark))
        }
        guard let body = page["payload"]?.objectValue, case .array(let list)? = body["Orders"] else {
            throw AdapterError.malformedResponse("getOrders answer without payload.Orders")
        }
        var high = cursor?.pageToken == nil ? nil : cursor?.pendingWatermark
        if high == nil, let before = AmazonField.date(body["LastUpdatedBefore"]) { high = before }
        var newest: Date?
        var orders: [UnifiedOrder] = []
        orders.reserveCapacity(list.count)
        for raw in list {
            guard case .object(let order) = raw, let id = AmazonField.text(order["AmazonOrderId"]) else { continue }
            if let updated = AmazonField.date(order["LastUpdateDate"]), newest.map({ updated > $0 }) ?? true { newest = updated }
            let items = try await orderItems(client, orderID: id)
            do {
                orders.append(try AmazonOrderMapper.map(order, items: items))
            } catch {
                // One broken order must not stall the pull for every other order.
                context.logger.error("skipping an Amazon order that does not normalize", metadata: ["order_id": "\(id)", "error": "\(error)"])
            }
        }
        if high == nil { high = newest }
        if let next = AmazonField.text(body["NextToken"]) {
            return OrderPage(orders: orders, next: SyncCursor(watermark: cursor?.watermark, pageToken: next, pendingWatermark: high),
                             complete: false)
        }
        return OrderPage(orders: orders, next: SyncCursor(watermark: high ?? cursor?.watermark), complete: true)
    }

    /// Every page of getOrderItems for one order.
    func orderItems(_ client: AmazonClient, orderID: String) async throws -> [JSON] {
        let path = "/orders/v0/orders/" + URLQuery.escape(orderID) + "/orderItems"
        var items: [JSON] = []
        var next: String?
        repeat {
            let url = path + (next.map { "?" + URLQuery.encode([("NextToken", $0)]) } ?? "")
            let json = try await client.get(url, operation: "getOrderItems")
            guard let payload = json["payload"]?.objectValue, case .array(let page)? = payload["OrderItems"] else {
                throw AdapterError.malformedResponse("getOrderItems(\(orderID)) answer without payload.OrderItems")
            }
            items.append(contentsOf: page)
            next = AmazonField.text(payload["NextToken"])
        } while next != nil
        return items
    }

    /// getOrders pages and getOrder bodies, with getOrderItems responses joined by
    /// AmazonOrderId. An order without items still normalizes (items = [],
    /// `metadata.items_missing`, subtotal = OrderTotal) so status updates are not lost.
    public func normalizeOrders(_ payloads: [JSON]) throws -> [UnifiedOrder] {
        try Self.normalize(payloads)
    }

    /// `normalizeOrders` without an adapter instance (CLI, benchmarks): normalization needs no context.
    public static func normalize(_ payloads: [JSON]) throws(AdapterError) -> [UnifiedOrder] {
        let set = try AmazonPayloadSet(payloads)
        var result: [UnifiedOrder] = []
        result.reserveCapacity(set.orders.count)
        for order in set.orders {
            let id = AmazonField.text(order["AmazonOrderId"]) ?? ""
            result.append(try AmazonOrderMapper.map(order, items: set.items[id]))
        }
        return result
    }
}
