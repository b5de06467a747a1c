import AdapterCatalog
import AdapterKit
import Testing

@Suite("Webhook header redaction")
struct WebhookHeaderRedactionTests {
    let registry: AdapterRegistry

    init() throws {
        registry = try AdapterCatalog.registry()
    }

    /// The static-token header of each courier that uses one, and the generic credential headers for everyone;
    /// body signatures are not credentials and are kept.
    @Test func eachAdaptersCredentialHeaders() throws {
        let names = { (code: String) in WebhookHeaderRedaction.credentialHeaders(of: try self.registry.manifest(code)) }
        #expect(try names("shiprocket").contains("x-api-key"))
        #expect(try names("delhivery").contains("authorization"))
        #expect(try names("bluedart").contains("token"))
        #expect(try !names("shiprocket").contains("token"))
        #expect(try !names("shopify").contains("x-shopify-hmac-sha256"))
        #expect(try !names("woocommerce").contains("x-wc-webhook-signature"))
        for code in registry.registrations.keys {
            #expect(try Set(names(code)).isSuperset(of: WebhookHeaderRedaction.alwaysCredentials), "\(code)")
        }
    }

    @Test func redactsOnlyTheNamedValuesInPlace() {
        let headers: [(name: String, value: String)] = [("content-type", "application/json"), ("X-Api-Key", "sr-webhook-token"),
                                                        ("user-agent", "Shiprocket"), ("authorization", "Token abc")]
        let redacted = WebhookHeaderRedaction.redact(headers, names: ["x-api-key", "authorization"])
        #expect(redacted.map(\.name) == headers.map(\.name))
        #expect(redacted.map(\.value) == ["application/json", "[redacted]", "Shiprocket", "[redacted]"])
        let untouched = WebhookHeaderRedaction.redact([("x-shopify-topic", "orders/create")], names: WebhookHeaderRedaction.alwaysCredentials)
        #expect(untouched.map(\.value) == ["orders/create"])
    }
}
