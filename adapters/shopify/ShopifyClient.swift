import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Where and how to call one shop's Admin REST API.
struct ShopifyClient {
    let context: AdapterContext
    let connection: Connection
    /// "https://{shop_domain}", or the override verbatim ("http://127.0.0.1:8081").
    let base: String
    let version: String
    let token: String

    init(context: AdapterContext, connection: Connection) throws(AdapterError) {
        self.context = context
        self.connection = connection
        let credentials = connection.credentials
        guard let token = credentials["access_token"]?.stringValue, !token.isEmpty else {
            throw AdapterError.invalidCredentials(code: "shopify", errors: [CredentialProblem(pointer: "/access_token", message: "required")])
        }
        self.token = token
        if let override = context.baseURLOverride, !override.isEmpty {
            base = override.hasSuffix("/") ? String(override.dropLast()) : override
        } else {
            guard let domain = Self.shopDomain(credentials["shop_domain"]?.stringValue) else {
                throw AdapterError.invalidCredentials(code: "shopify", errors: [
                    CredentialProblem(pointer: "/shop_domain", message: "expected <store>.myshopify.com (a host name, no path)"),
                ])
            }
            base = "https://" + domain
        }
        version = credentials["api_version"]?.stringValue
            ?? context.manifest.configSchema["properties"]?["api_version"]?["default"]?.stringValue ?? "2024-01"
    }

    var adminBase: String { base + "/admin/api/" + version }

    /// "mystore.myshopify.com" from what tenants type ("https://mystore.myshopify.com/").
    static func shopDomain(_ raw: String?) -> String? {
        guard var text = raw?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else { return nil }
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        while text.hasSuffix("/") { text.removeLast() }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard !text.isEmpty, text.allSatisfy({ allowed.contains($0) }), text.contains(".") else { return nil }
        return text
    }

    /// Shopify supports a stable version for about 12 months from its release
    /// quarter; an older pin still answers (as the oldest supported version).
    static func isSupported(_ version: String, now: Date) -> Bool? {
        let parts = version.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        let today = DateCoding.format(now)
        guard let nowYear = Int(today.prefix(4)), let nowMonth = Int(today.dropFirst(5).prefix(2)) else { return nil }
        return (nowYear * 12 + nowMonth) - (year * 12 + month) < 12
    }

    func warnIfUnsupportedVersion() {
        if version != "unstable", Self.isSupported(version, now: Date()) == false {
            context.logger.warning("Shopify API version is past Shopify's support window; Shopify answers with its oldest supported version",
                                   metadata: ["api_version": "\(version)", "connection": "\(connection.id)"])
        }
    }

    func get(_ url: String, operation: String, timeout: Duration = .seconds(60)) async throws -> OutboundResponse {
        let request = context.request(.GET, url, operation: operation, connection: connection,
                                      headers: [("X-Shopify-Access-Token", token), ("Accept", "application/json")], timeout: timeout)
        return try await context.transport.send(request, logger: context.logger)
    }

    /// The next-page URL from the Link header, but only on the shop's own
    /// origin: a token must never be sent to a host the Link names.
    func nextPageURL(_ response: OutboundResponse) throws(AdapterError) -> String? {
        guard let next = LinkHeader.url(response.header("Link"), rel: "next") else { return nil }
        return try resolvePageToken(next)
    }

    /// A stored page token: the next URL as Shopify returned it, or a bare page_info.
    func resolvePageToken(_ token: String) throws(AdapterError) -> String {
        if token.hasPrefix("http://") || token.hasPrefix("https://") {
            if urlOrigin(token) == urlOrigin(base) { return token }
            // Stored under another base (mock port changed, override removed): keep only page_info.
            guard let info = URLQuery.decode(URLQuery.query(of: token)).first(where: { $0.name == "page_info" })?.value else {
                throw AdapterError.malformedResponse("Shopify next-page link on another host without page_info")
            }
            return pageURL(pageInfo: info)
        }
        return pageURL(pageInfo: token)
    }

    func pageURL(pageInfo: String) -> String {
        adminBase + "/orders.json?" + URLQuery.encode([("limit", "250"), ("page_info", pageInfo)])
    }

    func firstPageURL(updatedAtMin: Date?) -> String {
        var query: [(String, String)] = [("status", "any"), ("limit", "250"), ("order", "updated_at asc")]
        if let updatedAtMin { query.append(("updated_at_min", DateCoding.format(updatedAtMin))) }
        return adminBase + "/orders.json?" + URLQuery.encode(query)
    }
}
