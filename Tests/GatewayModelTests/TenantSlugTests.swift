import Foundation
import Testing
@testable import GatewayModel

@Suite struct TenantSlugTests {
    @Test(arguments: ["ab", "acme", "acme_store", "a1", "a_", "z9_9", "pg_catalog", "public", "a" + String(repeating: "b", count: 50)])
    func accepts(slug: String) throws {
        let s = try TenantSlug(slug)
        #expect(s.value == slug)
        #expect(s.schemaName == "tenant_" + slug)
        #expect(s.quotedSchemaName == "\"tenant_\(slug)\"")
        #expect(s.schemaName.utf8.count <= 63)
    }

    @Test(arguments: [
        "", "a", "1abc", "_abc", "Acme", "acmE", "ACME", "acme-store", "acme store", " acme", "acme ", "acme.x",
        "acme;drop schema public cascade", "acme\"; DROP SCHEMA public; --", "a'b", "acme\"", "ācme", "acme\u{0}",
        "acme\n", "a\u{200B}b", "ＡＣＭＥ", "аcme" /* Cyrillic a */, "acme/..", "🙂", "a$b", "a" + String(repeating: "b", count: 51),
        String(repeating: "a", count: 10_000),
    ])
    func rejects(slug: String) {
        #expect(throws: TenantSlugError.self) { try TenantSlug(slug) }
        #expect(!TenantSlug.isValid(slug))
    }

    @Test func errorNamesTheRule() {
        do {
            _ = try TenantSlug("Bad-Slug")
            Issue.record("accepted an invalid slug")
        } catch {
            #expect(error.description.contains("^[a-z][a-z0-9_]{1,50}$"))
            #expect(error.description.contains("\"Bad-Slug\""))
        }
    }

    @Test func codable() throws {
        struct Box: Codable { var slug: TenantSlug }
        let b = try JSONDecoder().decode(Box.self, from: Data(#"{"slug":"acme"}"#.utf8))
        #expect(b.slug.schemaName == "tenant_acme")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(#"{"slug":"x;y"}"#.utf8)) }
    }
}
