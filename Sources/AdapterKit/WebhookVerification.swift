import Foundation
import GatewayModel
import JSONCore

extension AdapterContext {
    /// Static-token webhooks (Shiprocket, Delhivery, BlueDart): the provider
    /// sends the registered token verbatim in the manifest's header; it must
    /// equal the connection's secret at the manifest's `secret_source`
    /// (constant time). No token configured means nothing verifies.
    public func verifyStaticToken(_ request: WebhookRequest, _ connection: Connection, defaultHeader: String) -> Bool {
        let hook = manifest.webhook
        guard let expected = connection.secret(at: hook?.secretSource ?? "settings:/webhook_token"),
              let presented = request.header(hook?.header ?? defaultHeader)?.trimmingWhitespace(),
              !presented.isEmpty else { return false }
        return constantTimeEquals(presented, expected)
    }

    /// A webhook body as JSON, or `unrecognizedPayload` naming what it should have been.
    public func webhookJSON(_ request: WebhookRequest, what: String) throws -> JSON {
        do {
            return try JSON.parse(request.body)
        } catch {
            throw AdapterError.unrecognizedPayload("\(what) body is not JSON: \(error)")
        }
    }
}

/// Compares secrets in time that depends only on their lengths.
public func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    // In place, no copies: this runs on every static-token webhook.
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in constantTimeEquals(x, y) } }
}

func constantTimeEquals(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
    var diff = UInt64(truncatingIfNeeded: x.count ^ y.count)
    for i in 0..<max(x.count, y.count) {
        diff |= UInt64((i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0))
    }
    return diff == 0
}

extension Connection {
    /// A secret named by a manifest `secret_source`: "settings:/<pointer>",
    /// "credentials:/<pointer>" or "connection.webhook_secret".
    public func secret(at source: String?) -> String? {
        guard let source else { return nil }
        if source == "connection.webhook_secret" { return webhookSecret }
        let (root, pointer): (JSON, Substring)
        if source.hasPrefix("settings:") {
            (root, pointer) = (settings, source.dropFirst("settings:".count))
        } else if source.hasPrefix("credentials:") {
            (root, pointer) = (credentials, source.dropFirst("credentials:".count))
        } else {
            return nil
        }
        var current: JSON? = root
        for token in pointer.split(separator: "/") {
            // Unescaping only when needed: this runs on every webhook request.
            let key = token.utf8.contains(UInt8(ascii: "~"))
                ? token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") : String(token)
            current = current?[key]
        }
        guard let value = current?.stringValue, !value.isEmpty else { return nil }
        return value
    }
}
