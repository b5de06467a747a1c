/// GET /orders/v0/orders: validation as documented, then a NextToken page.
extension AmazonAPI {
    static let knownStatuses: Set<String> = ["PendingAvailability", "Pending", "Unshipped", "PartiallyShipped", "Shipped",
                                             "InvoiceUnconfirmed", "Canceled", "Unfulfillable"]

    func invalid(_ message: String, _ headers: [(String, String)]) -> MockResponse {
        .json(400, Self.errors("InvalidInput", message), headers: headers)
    }

    /// Comma-separated list parameter (also accepts the parameter repeated).
    func list(_ r: MockRequest, _ name: String) -> [String]? {
        let values = r.query.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        return values.isEmpty ? nil : values
    }

    func getOrders(_ r: MockRequest, headers: [(String, String)], pii: Bool) -> MockResponse {
        guard let marketplaces = list(r, "MarketplaceIds") else {
            return invalid("Missing required parameter: MarketplaceIds", headers)
        }
        guard marketplaces.count <= 50 else { return invalid("MarketplaceIds can contain at most 50 values", headers) }
        var query: AmazonOrderQuery
        var token: AmazonNextToken?
        var limit = 100
        if let raw = r.param("NextToken") {
            // NextToken carries the original filters; the others are ignored.
            guard let t = AmazonNextToken.decode(raw) else { return invalid("Invalid NextToken", headers) }
            token = t
            query = t.query
            limit = t.pageSize
        } else {
            if let raw = r.param("MaxResultsPerPage") {
                guard let n = Int(raw), (1...100).contains(n) else {
                    return invalid("MaxResultsPerPage must be between 1 and 100", headers)
                }
                limit = n
            }
            let createdAfter = r.param("CreatedAfter"), updatedAfter = r.param("LastUpdatedAfter")
            guard (createdAfter == nil) != (updatedAfter == nil) else {
                return invalid(createdAfter == nil ? "Either CreatedAfter or LastUpdatedAfter must be specified"
                                                   : "CreatedAfter and LastUpdatedAfter cannot both be specified", headers)
            }
            let byUpdate = updatedAfter != nil
            if byUpdate && r.param("CreatedBefore") != nil { return invalid("CreatedBefore cannot be used with LastUpdatedAfter", headers) }
            if !byUpdate && r.param("LastUpdatedBefore") != nil { return invalid("LastUpdatedBefore cannot be used with CreatedAfter", headers) }
            guard let after = Timestamp.parse(createdAfter ?? updatedAfter ?? "") else {
                return invalid("Invalid \(byUpdate ? "LastUpdatedAfter" : "CreatedAfter") date: must be ISO 8601", headers)
            }
            // Results stop two minutes before now, as SP-API requires of *Before dates.
            var before = store.clock.now() - 120
            if let raw = r.param(byUpdate ? "LastUpdatedBefore" : "CreatedBefore") {
                guard let b = Timestamp.parse(raw) else { return invalid("Invalid date: must be ISO 8601", headers) }
                guard b >= after else {
                    return invalid("\(byUpdate ? "LastUpdatedBefore" : "CreatedBefore") must be after \(byUpdate ? "LastUpdatedAfter" : "CreatedAfter")", headers)
                }
                before = min(before, b)
            }
            let statuses = list(r, "OrderStatuses")
            if let bad = statuses?.first(where: { !Self.knownStatuses.contains($0) }) {
                return invalid("Invalid OrderStatuses value: \(bad)", headers)
            }
            query = AmazonOrderQuery(byUpdate: byUpdate, after: after, before: before, statuses: statuses,
                                     channels: list(r, "FulfillmentChannels"), paymentMethods: list(r, "PaymentMethods"),
                                     orderIDs: list(r, "AmazonOrderIds"))
        }
        let ours = marketplaces.contains(options.marketplaceID)
        let page = ours ? store.page(query, after: token, limit: limit) : (orders: [], more: false)
        var w = JSONWriter(capacity: 1024 + page.orders.count * 2200)
        w.object { w in
            w.object("payload") { w in
                w.array("Orders") { w in
                    for (rec, base) in page.orders {
                        AmazonJSON.order(&w, base, rec.life, marketplaceID: options.marketplaceID, pii: pii)
                    }
                }
                if page.more, let last = page.orders.last {
                    let key = query.byUpdate ? last.0.life.lastUpdate : last.0.purchaseDate
                    w.string("NextToken", AmazonNextToken(query: query, lastKey: key, lastID: last.0.amazonOrderID, pageSize: limit).encode())
                }
                w.string(query.byUpdate ? "LastUpdatedBefore" : "CreatedBefore", Timestamp.amazon(query.before))
            }
        }
        return .json(200, w.bytes, headers: headers)
    }
}
