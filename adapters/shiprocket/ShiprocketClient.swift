import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Shiprocket login tokens, one per connection and API user. A token is valid
/// 240 hours; it is renewed a day early so none expires between the check and
/// the call. Concurrent callers share one login.
actor ShiprocketTokenCache {
    static let shared = ShiprocketTokenCache()

    /// Documented token lifetime (10 days).
    static let lifetime: TimeInterval = 240 * 3600
    static let renewalMargin: TimeInterval = 24 * 3600

    struct Key: Hashable {
        var connection: UUID
        var loginURL: String
        var email: String
        /// Part of the key so a changed password is a new login, not a stale token.
        var password: String
    }

    private enum Entry {
        case ready(token: String, renewAt: Date)
        case fetching(Task<String, any Error>)
    }

    private var entries: [Key: Entry] = [:]
    private let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    func token(_ key: Key, login: @escaping @Sendable () async throws -> String) async throws -> String {
        switch entries[key] {
        case .ready(let token, let renewAt)? where renewAt > now():
            return token
        case .fetching(let task)?:
            return try await task.value
        default:
            let task = Task { try await login() }
            entries[key] = .fetching(task)
            do {
                let token = try await task.value
                entries[key] = .ready(token: token, renewAt: now().addingTimeInterval(Self.lifetime - Self.renewalMargin))
                return token
            } catch {
                entries[key] = nil
                throw error
            }
        }
    }

    /// Forgets `token` after Shiprocket refused it (only if still cached, so a
    /// burst of 401s triggers one login).
    func invalidate(_ key: Key, token: String) {
        if case .ready(let cached, _)? = entries[key], cached == token { entries[key] = nil }
    }
}

/// Calls to apiv2.shiprocket.in/v1/external for one connection: login, the
/// Bearer token on every call, one fresh login after a 401.
struct ShiprocketClient {
    static let defaultBase = "https://apiv2.shiprocket.in/v1/external"
    static let apiPath = "/v1/external"

    let context: AdapterContext
    let connection: Connection
    /// ".../v1/external" without a trailing slash.
    let apiBase: String
    let cache: ShiprocketTokenCache
    private let key: ShiprocketTokenCache.Key

    init(context: AdapterContext, connection: Connection, cache: ShiprocketTokenCache = .shared) throws(AdapterError) {
        self.context = context
        self.connection = connection
        self.cache = cache
        var problems: [CredentialProblem] = []
        func required(_ name: String) -> String {
            if let value = connection.credentials[name]?.stringValue?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
            problems.append(CredentialProblem(pointer: "/" + name, message: "required"))
            return ""
        }
        let email = required("email")
        let password = connection.credentials["password"]?.stringValue ?? ""
        if password.isEmpty { problems.append(CredentialProblem(pointer: "/password", message: "required")) }
        guard problems.isEmpty else { throw AdapterError.invalidCredentials(code: "shiprocket", errors: problems) }
        apiBase = Self.base(override: context.baseURLOverride)
        key = ShiprocketTokenCache.Key(connection: connection.id, loginURL: apiBase + "/auth/login", email: email, password: password)
    }

    /// The override replaces the host; "/v1/external" is appended unless it is already there.
    static func base(override: String?) -> String {
        guard var base = override?.trimmingCharacters(in: .whitespaces), !base.isEmpty else { return defaultBase }
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix(apiPath) ? base : base + apiPath
    }

    func token() async throws -> String {
        try await cache.token(key) { [self] in try await login() }
    }

    /// POST /auth/login. Request and answer hold secrets: the request is marked
    /// sensitive, so neither reaches logs or error texts.
    private func login() async throws -> String {
        let body: JSON = ["email": .string(key.email), "password": .string(key.password)]
        let request = OutboundRequest(.POST, key.loginURL, headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                                      body: Array(body.serialized().utf8), operation: "login", connectionID: connection.id,
                                      rateLimit: context.manifest.rateLimit(for: "login"), timeout: .seconds(20), idempotent: true,
                                      sensitive: true)
        let response: OutboundResponse
        do {
            response = try await context.transport.send(request, logger: context.logger)
        } catch AdapterError.upstream(let status, let detail) where (400..<500).contains(status) {
            // 400 "Invalid email and password combination", 422 missing fields.
            throw AdapterError.authenticationFailed("Shiprocket refused the API user's login (HTTP \(status): \(detail)); check the API user's email and password")
        }
        let json = try response.json(context: "Shiprocket login")
        guard let token = json["token"]?.stringValue, !token.isEmpty else {
            throw AdapterError.malformedResponse("Shiprocket login answer without token")
        }
        context.logger.debug("Shiprocket login succeeded", metadata: ["connection": "\(connection.id)"])
        return token
    }

    /// One API call with the cached token; on 401/403 the token is replaced once.
    /// `path` starts with "/" ("/courier/serviceability/"); query pairs are encoded here.
    func send(_ method: OutboundRequest.Method, _ path: String, query: [(String, String)] = [], body: JSON? = nil,
              operation: String, idempotent: Bool? = nil, timeout: Duration = .seconds(30)) async throws -> OutboundResponse {
        let url = apiBase + path + (query.isEmpty ? "" : "?" + URLQuery.encode(query))
        var retried = false
        while true {
            let token = try await token()
            var headers: [(name: String, value: String)] = [("Authorization", "Bearer " + token), ("Accept", "application/json")]
            if body != nil { headers.append(("Content-Type", "application/json")) }
            let request = context.request(method, url, operation: operation, connection: connection, headers: headers,
                                          body: body.map { Array($0.serialized().utf8) }, timeout: timeout, idempotent: idempotent)
            do {
                return try await context.transport.send(request, logger: context.logger)
            } catch AdapterError.authenticationFailed(_) where !retried {
                // Expired or revoked token (Shiprocket answers 401 "Token has expired").
                context.logger.info("Shiprocket refused the token; logging in again", metadata: ["operation": "\(operation)"])
                await cache.invalidate(key, token: token)
                retried = true
            }
        }
    }

    func json(_ method: OutboundRequest.Method, _ path: String, query: [(String, String)] = [], body: JSON? = nil,
              operation: String, idempotent: Bool? = nil, timeout: Duration = .seconds(30)) async throws -> JSON {
        let response = try await send(method, path, query: query, body: body, operation: operation, idempotent: idempotent, timeout: timeout)
        // Some calls answer 204 without a body.
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object(JSONObject()) }
        return try response.json(context: "Shiprocket \(operation)")
    }
}
