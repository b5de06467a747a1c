import Foundation

/// Login with Amazon (POST /auth/o2/token) and the access tokens it issues,
/// plus Restricted Data Tokens (Tokens API) that unlock buyer PII.
final class AmazonAuth: Sendable {
    struct Token: Sendable {
        let expiresAt: Int64
        let restricted: Bool
    }

    enum Check: Equatable {
        case ok(restricted: Bool)
        case missing
        case expired
        case invalid
    }

    let options: AmazonMockOptions
    let clock: SimClock
    private let tokens = LockedBox<[String: Token]>([:])
    private let counter = LockedBox<UInt64>(0)

    init(options: AmazonMockOptions, clock: SimClock) {
        self.options = options
        self.clock = clock
    }

    private func newToken(prefix: String, restricted: Bool) -> String {
        let n = counter.withLock { c -> UInt64 in c += 1; return c }
        var g = SplitMix64.derive(seed: options.seed, stream: 0x10A, index: n)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var body = ""
        for _ in 0..<160 { body.append(alphabet[Int(g.next() % 64)]) }
        let token = prefix + body
        let expires = clock.now() + options.tokenLifetimeSeconds
        tokens.withLock { $0[token] = Token(expiresAt: expires, restricted: restricted) }
        return token
    }

    func check(_ header: String?) -> Check {
        guard let header, !header.isEmpty else { return .missing }
        guard let t = tokens.withLock({ $0[header] }) else { return .invalid }
        return clock.now() >= t.expiresAt ? .expired : .ok(restricted: t.restricted)
    }

    /// Makes every issued token expire now (tests of the refresh path).
    func expireAll() {
        let now = clock.now()
        tokens.withLock { dict in
            for key in dict.keys { dict[key] = Token(expiresAt: now, restricted: dict[key]?.restricted ?? false) }
        }
    }

    static func lwaError(_ status: Int, _ error: String, _ description: String) -> MockResponse {
        .json(status, JSONWriter.render { w in
            w.string("error_description", description)
            w.string("error", error)
        }, headers: [("x-amzn-RequestId", UUID().uuidString.lowercased()), ("Cache-Control", "no-store"), ("Pragma", "no-cache")])
    }

    /// POST /auth/o2/token with a form body (grant_type=refresh_token or client_credentials).
    func lwaToken(_ r: MockRequest) -> MockResponse {
        guard r.method == "POST" else { return Self.lwaError(405, "invalid_request", "The HTTP method is not supported") }
        var form = FormCoding.decode(String(decoding: r.body, as: UTF8.self))
        // Some clients send the parameters in the query string instead.
        if form.isEmpty { form = r.query }
        func p(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard let grant = p("grant_type") else {
            return Self.lwaError(400, "invalid_request", "The request is missing a required parameter : grant_type")
        }
        guard grant == "refresh_token" || grant == "client_credentials" else {
            return Self.lwaError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server")
        }
        guard let clientID = p("client_id") else {
            return Self.lwaError(400, "invalid_request", "The request is missing a required parameter : client_id")
        }
        guard clientID == options.clientID, p("client_secret") == options.clientSecret else {
            return Self.lwaError(401, "invalid_client", "Client authentication failed")
        }
        let headers: [(String, String)] = [("x-amzn-RequestId", UUID().uuidString.lowercased()), ("Cache-Control", "no-store"), ("Pragma", "no-cache")]
        if grant == "client_credentials" {
            guard p("scope") != nil else {
                return Self.lwaError(400, "invalid_request", "The request is missing a required parameter : scope")
            }
            let token = newToken(prefix: "Atc|MQEWY", restricted: false)
            return .json(200, JSONWriter.render { w in
                w.string("access_token", token)
                w.string("scope", p("scope"))
                w.string("token_type", "bearer")
                w.int("expires_in", options.tokenLifetimeSeconds)
            }, headers: headers)
        }
        guard let refresh = p("refresh_token") else {
            return Self.lwaError(400, "invalid_request", "The request is missing a required parameter : refresh_token")
        }
        guard refresh == options.refreshToken else {
            return Self.lwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
        }
        let token = newToken(prefix: "Atza|IwEB", restricted: false)
        return .json(200, JSONWriter.render { w in
            w.string("access_token", token)
            w.string("refresh_token", options.refreshToken)
            w.string("token_type", "bearer")
            w.int("expires_in", options.tokenLifetimeSeconds)
        }, headers: headers)
    }

    /// POST /tokens/2021-03-01/restrictedDataToken: an RDT that shows PII on
    /// the order paths it names (the mock honours it on every Orders path).
    func restrictedDataToken(_ r: MockRequest) -> MockResponse? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
              let resources = object["restrictedResources"] as? [[String: Any]], !resources.isEmpty else {
            return nil
        }
        let token = newToken(prefix: "Atz.sprdt|IwEB", restricted: true)
        return .json(200, JSONWriter.render { w in
            w.string("restrictedDataToken", token)
            w.int("expiresIn", options.tokenLifetimeSeconds)
        })
    }
}
