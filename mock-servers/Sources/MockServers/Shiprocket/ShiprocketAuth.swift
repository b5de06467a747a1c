import Foundation

/// Login with the API user's email and password; HS256 JWTs valid 240 hours
/// on the simulated clock, sent back as `Authorization: Bearer <token>`.
final class ShiprocketAuth: Sendable {
    enum Verdict: Equatable { case valid, missing, invalid, expired }

    let options: ShiprocketMockOptions
    let clock: SimClock
    let secret: [UInt8]
    private let issued = LockedBox<(count: UInt64, revoked: Set<String>)>((0, []))

    init(options: ShiprocketMockOptions, clock: SimClock) {
        self.options = options
        self.clock = clock
        var g = SplitMix64.derive(seed: options.seed, stream: 0x5EC_12E7, index: 0)
        secret = Array(g.hex(64).utf8)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ s: String) -> [UInt8]? {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        return Data(base64Encoded: b).map { Array($0) }
    }

    /// A new token for the API user, like POST /auth/login returns.
    func issue(issuer: String) -> String {
        let now = clock.now()
        let n = issued.withLock { s -> UInt64 in s.count += 1; return s.count }
        var g = SplitMix64.derive(seed: options.seed, stream: 0x1A7, index: n)
        let header = JSONWriter.render { w in w.string("alg", "HS256"); w.string("typ", "JWT") }
        let payload = JSONWriter.render { w in
            w.int("sub", options.userID)
            w.string("source", "sr-auth-int")
            w.int("exp", now + Int64(options.tokenTTLHours) * 3600)
            w.string("jti", g.alnum(16))
            w.int("iat", now)
            w.string("iss", issuer)
            w.int("nbf", now)
            w.int("cid", options.companyID)
            w.int("tc", 360)
            w.bool("verbose", false)
            w.int("vendor_id", 0)
            w.string("vendor_code", "")
        }
        let signingInput = Self.base64URL(header) + "." + Self.base64URL(payload)
        let signature = HMACSHA256.mac(key: secret, message: Array(signingInput.utf8))
        return signingInput + "." + Self.base64URL(signature)
    }

    func verify(_ authorization: String?) -> Verdict {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return .missing }
        let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .invalid }
        let expected = Self.base64URL(HMACSHA256.mac(key: secret, message: Array((parts[0] + "." + parts[1]).utf8)))
        guard Self.constantTimeEqual(expected, String(parts[2])),
              let payloadBytes = Self.decodeBase64URL(String(parts[1])),
              let payload = CourierJSON.parse(payloadBytes), let exp = payload["exp"]?.int
        else { return .invalid }
        if let jti = payload["jti"]?.text, issued.withLock({ $0.revoked.contains(jti) }) { return .invalid }
        return clock.now() < exp ? .valid : .expired
    }

    /// POST /auth/logout: the token stops working.
    func revoke(_ authorization: String?) {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return }
        let parts = authorization.dropFirst(7).split(separator: ".")
        guard parts.count == 3, let bytes = Self.decodeBase64URL(String(parts[1])),
              let jti = CourierJSON.parse(bytes)?["jti"]?.text else { return }
        issued.withLock { _ = $0.revoked.insert(jti) }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
