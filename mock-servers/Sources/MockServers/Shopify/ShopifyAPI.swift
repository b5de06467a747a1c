import Foundation

/// The REST Admin API routes: auth, scopes, the leaky bucket, then the handler.
struct ShopifyAPI: Sendable {
    let options: ShopifyMockOptions
    let store: ShopifyStore
    let bucket: LeakyBucket
    let requestCounter = LockedBox<UInt64>(0)

    static let invalidToken = "[API] Invalid API key or access token (unrecognized login or wrong password)"
    static let throttled = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."

    static func errors(_ message: String) -> [UInt8] {
        JSONWriter.render { $0.string("errors", message) }
    }

    func requestID() -> String {
        let n = requestCounter.withLock { c -> UInt64 in c += 1; return c }
        var g = SplitMix64.derive(seed: options.seed, stream: 0x5E9, index: n)
        return g.hex(8) + "-" + g.hex(4) + "-4" + g.hex(3) + "-a" + g.hex(3) + "-" + g.hex(12)
    }

    func handle(_ r: MockRequest) async -> MockResponse {
        let path = r.path
        guard path.hasPrefix("/admin/") else { return .json(404, Self.errors("Not Found")) }
        guard r.header("x-shopify-access-token") == options.accessToken else {
            return .json(401, Self.errors(Self.invalidToken), headers: [("X-Request-Id", requestID())])
        }
        let (allowed, used) = bucket.take()
        var headers: [(String, String)] = [
            ("X-Shopify-Shop-Api-Call-Limit", "\(used)/\(bucket.config.size)"),
            ("X-Request-Id", requestID()),
        ]
        guard allowed else {
            return .json(429, Self.errors(Self.throttled), headers: headers + [("Retry-After", "2.0")])
        }
        if path == "/admin/oauth/access_scopes.json" {
            return .json(200, accessScopes(), headers: headers)
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        // admin / api / {version} / resource...
        guard parts.count >= 4, parts[1] == "api", Self.validVersion(parts[2]) else {
            return .json(404, Self.errors("Not Found"), headers: headers)
        }
        headers.append(("X-Shopify-API-Version", parts[2]))
        guard r.method == "GET" else { return .json(404, Self.errors("Not Found"), headers: headers) }
        let resource = parts[3...].joined(separator: "/")
        if resource == "shop.json" { return .json(200, shopJSON(), headers: headers) }
        guard resource.hasPrefix("orders") else { return .json(404, Self.errors("Not Found"), headers: headers) }
        guard options.scopes.contains("read_orders") || options.scopes.contains("write_orders") else {
            return .json(403, Self.errors("[API] This action requires merchant approval for read_orders scope."), headers: headers)
        }
        switch resource {
        case "orders.json":
            return listOrders(r, version: parts[2], headers: headers)
        case "orders/count.json":
            switch ShopifyOrderFilter.parse(r) {
            case let .success(f):
                return .json(200, JSONWriter.render { $0.int("count", store.count(f)) }, headers: headers)
            case let .failure(e):
                return .json(400, e.body, headers: headers)
            }
        default:
            let name = String(resource.dropFirst("orders/".count))
            guard parts.count == 5, name.hasSuffix(".json"), let id = Int64(name.dropLast(5)), let rec = store.record(id: id) else {
                return .json(404, Self.errors("Not Found"), headers: headers)
            }
            var w = JSONWriter(capacity: 8192)
            w.object { w in
                w.key("order")
                ShopifyOrderJSON.write(store.view(rec), store.render, fields: Self.fields(r), into: &w)
            }
            return .json(200, w.bytes, headers: headers)
        }
    }

    static func validVersion(_ v: String) -> Bool {
        if v == "unstable" { return true }
        let b = Array(v.utf8)
        guard b.count == 7, b[4] == UInt8(ascii: "-") else { return false }
        return b.enumerated().allSatisfy { $0.offset == 4 || ($0.element >= 48 && $0.element <= 57) }
    }

    static func fields(_ r: MockRequest) -> Set<String>? {
        guard let raw = r.param("fields"), !raw.isEmpty else { return nil }
        return Set(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    func listOrders(_ r: MockRequest, version: String, headers: [(String, String)]) -> MockResponse {
        var limit = 50
        if let raw = r.param("limit") {
            guard let l = Int(raw), (1...250).contains(l) else { return .json(400, ShopifyParamError.invalid("limit").body, headers: headers) }
            limit = l
        }
        let filter: ShopifyOrderFilter
        var cursor: ShopifyCursor?
        if let token = r.param("page_info") {
            if let extra = r.query.first(where: { !["page_info", "limit", "fields"].contains($0.name) }) {
                return .json(400, ShopifyParamError.notWithPageInfo(extra.name).body, headers: headers)
            }
            guard let c = ShopifyCursor.decode(token) else {
                return .json(400, ShopifyParamError.invalid("page_info").body, headers: headers)
            }
            cursor = c
            filter = c.filter
        } else {
            switch ShopifyOrderFilter.parse(r) {
            case let .success(f): filter = f
            case let .failure(e): return .json(400, e.body, headers: headers)
            }
        }
        let page = store.page(filter, cursor: cursor, limit: limit)
        let fields = Self.fields(r)
        var w = JSONWriter(capacity: 2048 + page.records.count * 7000)
        w.object { w in
            w.array("orders") { w in
                for rec in page.records {
                    if fields == nil {
                        w.rawElement(store.json(rec))
                    } else {
                        ShopifyOrderJSON.write(store.view(rec), store.render, fields: fields, into: &w)
                    }
                }
            }
        }
        var out = headers
        if let link = linkHeader(r, version: version, filter: filter, page: page, limit: limit) {
            out.append(("Link", link))
        }
        return .json(200, w.bytes, headers: out)
    }

    /// `<https://…/orders.json?limit=50&page_info=…>; rel="previous", <…>; rel="next"`
    func linkHeader(_ r: MockRequest, version: String, filter: ShopifyOrderFilter, page: ShopifyStore.Page, limit: Int) -> String? {
        guard let first = page.records.first, let last = page.records.last else { return nil }
        let origin = r.origin ?? "https://\(options.shopDomain)"
        func url(_ c: ShopifyCursor) -> String {
            var q = [("limit", String(limit))]
            if let fields = r.param("fields") { q.append(("fields", fields)) }
            q.append(("page_info", c.encode()))
            return "<\(origin)/admin/api/\(version)/orders.json?\(FormCoding.encode(q))>"
        }
        var links: [String] = []
        if page.hasPrevious {
            links.append(url(ShopifyCursor(filter: filter, forward: false, key: filter.sortKey(first), id: first.id)) + "; rel=\"previous\"")
        }
        if page.hasNext {
            links.append(url(ShopifyCursor(filter: filter, forward: true, key: filter.sortKey(last), id: last.id)) + "; rel=\"next\"")
        }
        return links.isEmpty ? nil : links.joined(separator: ", ")
    }

    func accessScopes() -> [UInt8] {
        JSONWriter.render { w in
            w.array("access_scopes") { w in
                for s in options.scopes { w.object { $0.string("handle", s) } }
            }
        }
    }

    func shopJSON() -> [UInt8] {
        let id = store.render.shopID
        let created = Timestamp.shopify(store.gen.start - store.gen.historySeconds - 400 * 86_400)
        return JSONWriter.render { w in
            w.object("shop") { w in
                w.int("id", id)
                w.string("name", options.shopName)
                w.string("email", "owner@" + options.shopDomain.replacingOccurrences(of: ".myshopify.com", with: ".in"))
                w.string("domain", options.shopDomain)
                w.string("province", "Maharashtra")
                w.string("country", "IN")
                w.string("address1", "Unit 12, Kamala Mills Compound")
                w.string("zip", "400013")
                w.string("city", "Mumbai")
                w.null("source")
                w.string("phone", "+912240001234")
                w.null("latitude")
                w.null("longitude")
                w.string("primary_locale", "en")
                w.string("address2", "Lower Parel")
                w.string("created_at", created)
                w.string("updated_at", created)
                w.string("country_code", "IN")
                w.string("country_name", "India")
                w.string("currency", "INR")
                w.string("customer_email", "support@" + options.shopDomain.replacingOccurrences(of: ".myshopify.com", with: ".in"))
                w.string("timezone", "(GMT+05:30) Asia/Kolkata")
                w.string("iana_timezone", "Asia/Kolkata")
                w.string("shop_owner", "Ritika Mehta")
                w.string("money_format", "Rs. {{amount}}")
                w.string("money_with_currency_format", "Rs. {{amount}} INR")
                w.string("weight_unit", "kg")
                w.string("province_code", "MH")
                w.bool("taxes_included", true)
                w.null("auto_configure_tax_inclusivity")
                w.null("tax_shipping")
                w.bool("county_taxes", true)
                w.string("plan_display_name", "Basic")
                w.string("plan_name", "basic")
                w.bool("has_discounts", true)
                w.bool("has_gift_cards", false)
                w.string("myshopify_domain", options.shopDomain)
                w.null("google_apps_domain")
                w.null("google_apps_login_enabled")
                w.string("money_in_emails_format", "Rs. {{amount}}")
                w.string("money_with_currency_in_emails_format", "Rs. {{amount}} INR")
                w.bool("eligible_for_payments", false)
                w.bool("requires_extra_payments_agreement", false)
                w.bool("password_enabled", false)
                w.bool("has_storefront", true)
                w.bool("finances", true)
                w.int("primary_location_id", store.render.locationID)
                w.bool("checkout_api_supported", true)
                w.bool("multi_location_enabled", true)
                w.bool("setup_required", false)
                w.bool("pre_launch_enabled", false)
                w.array("enabled_presentment_currencies") { w in w.element("INR"); w.element("USD") }
                w.bool("marketing_sms_consent_enabled_at_checkout", false)
                w.bool("transactional_sms_disabled", false)
            }
        }
    }
}
