import AdapterKit
import Foundation
import JSONCore

/// Login with Amazon access tokens, cached per connection (and per refresh
/// token, so re-authorizing invalidates the cache) until 60 s before they
/// expire. Concurrent callers share one token exchange.
actor LWATokenCache {
    static let shared = LWATokenCache()

    struct Key: Hashable {
        var connection: UUID
        var tokenURL: String
        var clientID: String
        var refreshToken: String
    }

    private enum Entry {
        case ready(token: String, expires: Date)
        case fetching(Task<(token: String, expires: Date), any Error>)
    }

    private var entries: [Key: Entry] = [:]

    /// A valid token, exchanging the refresh token when there is none.
    func token(_ key: Key, exchange: @escaping @Sendable () async throws -> (token: String, lifetime: TimeInterval)) async throws -> String {
        switch entries[key] {
        case .ready(let token, let expires)? where expires > Date():
            return token
        case .fetching(let task)?:
            return try await task.value.token
        default:
            let task = Task { () async throws -> (token: String, expires: Date) in
                let (token, lifetime) = try await exchange()
                // Refresh a minute early: a token must not expire between the check and the call.
                return (token, Date().addingTimeInterval(max(0, lifetime - 60)))
            }
            entries[key] = .fetching(task)
            do {
                let fresh = try await task.value
                entries[key] = .ready(token: fresh.token, expires: fresh.expires)
                return fresh.token
            } catch {
                entries[key] = nil
                throw error
            }
        }
    }

    /// Forget `token` after the API refused it (only if it is still the cached one,
    /// so a burst of refusals triggers one exchange, not many).
    func invalidate(_ key: Key, token: String) {
        if case .ready(let cached, _)? = entries[key], cached == token { entries[key] = nil }
    }
}

/// Calls to SP-API for one connection: base URLs, the LWA exchange and
/// `x-amz-access-token` on every request, one retry with a fresh token after a 403.
struct AmazonClient {
    let context: AdapterContext
    let connection: Connection
    let apiBase: String
    let tokenURL: String
    let marketplaceID: String
    private let key: LWATokenCache.Key
    private let clientSecret: String

    static let defaultTokenURL = "https://api.amazon.com/auth/o2/token"

    init(context: AdapterContext, connection: Connection) throws(AdapterError) {
        self.context = context
        self.connection = connection
        let c = connection.credentials
        var missing: [CredentialProblem] = []
        func required(_ name: String) -> String {
            if let value = c[name]?.stringValue, !value.isEmpty { return value }
            missing.append(CredentialProblem(pointer: "/" + name, message: "required"))
            return ""
        }
        let clientID = required("lwa_client_id")
        let secret = required("lwa_client_secret")
        let refresh = required("refresh_token")
        guard missing.isEmpty else { throw AdapterError.invalidCredentials(code: "amazon", errors: missing) }
        clientSecret = secret
        marketplaceID = c["marketplace_id"]?.stringValue ?? "A21TJRUUN4KGV"
        let override = context.baseURLOverride.flatMap { $0.isEmpty ? nil : ($0.hasSuffix("/") ? String($0.dropLast()) : $0) }
        apiBase = override ?? Self.regionBase(region: c["region"]?.stringValue ?? "IN", sandbox: c["sandbox"]?.boolValue ?? false)
        // A separate LWA endpoint: connection settings, then the environment, then the override's
        // host (the mock serves LWA and SP-API on one port), then Amazon's.
        tokenURL = connection.settings["lwa_token_url"]?.stringValue
            ?? ProcessInfo.processInfo.environment["GATEWAY_AMAZON_LWA_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? override.map { $0 + "/auth/o2/token" } ?? Self.defaultTokenURL
        key = LWATokenCache.Key(connection: connection.id, tokenURL: tokenURL, clientID: clientID, refreshToken: refresh)
    }

    /// IN and EU sell through the EU endpoint (eu-west-1), US through NA.
    static func regionBase(region: String, sandbox: Bool) -> String {
        let host = region.uppercased() == "US" ? "sellingpartnerapi-na.amazon.com" : "sellingpartnerapi-eu.amazon.com"
        return "https://" + (sandbox ? "sandbox." : "") + host
    }

    func accessToken() async throws -> String {
        try await LWATokenCache.shared.token(key) { [self] in try await exchange() }
    }

    /// POST the refresh token; the body and answer are secrets, never logged.
    private func exchange() async throws -> (token: String, lifetime: TimeInterval) {
        let form = URLQuery.encode([("grant_type", "refresh_token"), ("refresh_token", key.refreshToken),
                                    ("client_id", key.clientID), ("client_secret", clientSecret)])
        let request = OutboundRequest(.POST, tokenURL, headers: [("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"),
                                                                 ("Accept", "application/json")],
                                      body: Array(form.utf8), operation: "lwa.token", connectionID: connection.id,
                                      timeout: .seconds(20), idempotent: true, sensitive: true)
        let response: OutboundResponse
        do {
            response = try await context.transport.send(request, logger: context.logger)
        } catch AdapterError.upstream(let status, let body) where status == 400 && (body.contains("invalid_grant") || body.contains("unauthorized_client")) {
            throw AdapterError.authenticationFailed("Login with Amazon refused the refresh token (\(body)); re-authorize the app in Seller Central")
        }
        let json = try response.json(context: "LWA token response")
        guard let token = json["access_token"]?.stringValue, !token.isEmpty else {
            throw AdapterError.malformedResponse("LWA token response without access_token")
        }
        let lifetime = json["expires_in"]?.numberValue?.doubleValue ?? 3600
        return (token, lifetime)
    }

    /// GET an SP-API path ("/orders/v0/orders?…"); on 403 the token is replaced once.
    func get(_ pathAndQuery: String, operation: String) async throws -> JSON {
        var retried = false
        while true {
            let token = try await accessToken()
            let request = context.request(.GET, apiBase + pathAndQuery, operation: operation, connection: connection,
                                          headers: [("x-amz-access-token", token), ("Accept", "application/json"),
                                                    ("User-Agent", "gateway/1.0 (Language=Swift)")])
            do {
                let response = try await context.transport.send(request, logger: context.logger)
                return try response.json(context: "SP-API \(operation)")
            } catch AdapterError.authenticationFailed(_) where !retried {
                // Expired or revoked access token: SP-API answers 403 Unauthorized.
                context.logger.info("SP-API refused the access token; exchanging the refresh token again", metadata: ["operation": "\(operation)"])
                await LWATokenCache.shared.invalidate(key, token: token)
                retried = true
            }
        }
    }
}
