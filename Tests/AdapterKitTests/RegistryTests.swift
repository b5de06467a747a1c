import AdapterCatalog
import AdapterKit
import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("Adapter registry")
struct RegistryTests {
    let registry: AdapterRegistry

    init() throws {
        registry = try AdapterCatalog.registry()
    }

    @Test func allTenProvidersLoadWithTheSeedCodes() throws {
        let channels = registry.manifests.filter { $0.kind == .channel }.map(\.code)
        let couriers = registry.manifests.filter { $0.kind == .courier }.map(\.code)
        #expect(channels == ["amazon", "flipkart", "meesho", "shopify", "woocommerce"])
        #expect(couriers == ["bluedart", "custom", "delhivery", "dtdc", "shiprocket"])
        for manifest in registry.manifests {
            #expect(!manifest.capabilities.isEmpty, "\(manifest.code) declares no capabilities")
            #expect(manifest.configSchema["type"]?.stringValue == "object", "\(manifest.code)")
            // Every secret field must exist in the schema, or redaction silently misses it.
            for pointer in manifest.secretFields {
                let tokens = pointer.split(separator: "/").map(String.init)
                var node: JSON? = manifest.configSchema
                for token in tokens {
                    node = node?["properties"]?[token] ?? node?["$defs"]?[token]
                }
                let declared = node != nil || manifest.code == "custom"
                #expect(declared, "\(manifest.code): secret field \(pointer) not in config_schema")
            }
        }
        #expect(try registry.manifest("shiprocket").isDefault)
        #expect(throws: AdapterError.self) { try registry.manifest("fedex") }
        #expect(throws: AdapterError.self) { try registry.courier("shopify") }
        _ = try registry.channel("shopify")
        _ = try registry.courier("delhivery")
    }

    @Test func seedSchemasKeptForShopifyAndShiprocketAmazonMovedToSPAPI() throws {
        let shopify = try registry.manifest("shopify").configSchema
        #expect(shopify["required"] == ["shop_domain", "access_token"])
        #expect(shopify["properties"]?["api_version"]?["default"] == "2024-01")
        let shiprocket = try registry.manifest("shiprocket").configSchema
        #expect(shiprocket["required"] == ["email", "password"])
        let amazon = try registry.manifest("amazon").configSchema
        let required = Set(amazon["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(required.isSuperset(of: ["seller_id", "marketplace_id", "refresh_token"]))
        #expect(!required.contains("mws_auth_token"))
        #expect(amazon["properties"]?["region"]?["enum"] == ["IN", "US", "EU"])
    }

    @Test func credentialProblemsNameTheFieldByJSONPointer() throws {
        let problems = try registry.checkCredentials("shopify", ["shop_domain": 42])
        #expect(problems.map(\.pointer).sorted() == ["/access_token", "/shop_domain"])
        #expect(problems.contains { $0.description == "/access_token: required property is missing" })
        #expect(try registry.checkCredentials("shopify", ["shop_domain": "acme.myshopify.com", "access_token": "shpat_x"]).isEmpty)
        #expect(throws: AdapterError.self) { try registry.requireValidCredentials("amazon", ["seller_id": "A1"]) }
    }

    /// The benchmark's credential cases double as a conformance table.
    @Test func benchmarkCasesValidateAsLabelled() throws {
        let folder = RepositoryPaths.root().appendingPathComponent("benchmarks/credential-validation/cases")
        var checked = 0
        for manifest in registry.manifests {
            let url = folder.appendingPathComponent("\(manifest.code).json")
            let data = try #require(FileManager.default.contents(atPath: url.path), "missing \(url.path)")
            let cases = try JSON.parse(Array(data))
            for valid in cases["valid"]?.arrayValue ?? [] {
                #expect(try registry.checkCredentials(manifest.code, valid) == [], "\(manifest.code) valid: \(valid.serialized())")
                checked += 1
            }
            for invalid in cases["invalid"]?.arrayValue ?? [] {
                let problems = try registry.checkCredentials(manifest.code, invalid)
                #expect(!problems.isEmpty, "\(manifest.code) invalid passed: \(invalid.serialized())")
                #expect(problems.allSatisfy { $0.pointer.isEmpty || $0.pointer.hasPrefix("/") })
                checked += 1
            }
        }
        #expect(checked >= 60)
    }

    @Test func redactionHidesEverySecretField() throws {
        let shopify = try registry.manifest("shopify")
        let redacted = shopify.redacting(["shop_domain": "acme.myshopify.com", "access_token": "shpat_secret"])
        #expect(redacted["access_token"] == "[redacted]")
        #expect(redacted["shop_domain"] == "acme.myshopify.com")
        #expect(!redacted.serialized().contains("shpat_secret"))
        let custom = try registry.manifest("custom")
        let document: JSON = ["name": "X", "auth": ["type": "bearer", "token": "tok_secret"]]
        #expect(!custom.redacting(document).serialized().contains("tok_secret"))
    }

    @Test func brokenManifestIsReportedWithEveryProblem() {
        let bytes = Array(#"{"code":"Bad Code","kind":"plane","config_schema":{"type":5},"capabilities":["teleport"]}"#.utf8)
        #expect {
            try AdapterManifest(bytes: bytes)
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.problems.count >= 4
        }
    }
}
