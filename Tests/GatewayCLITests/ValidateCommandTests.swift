import Foundation
import JSONCore
import Testing

@Suite("CLI: adapters, credentials, schema")
struct ValidateCommandTests {
    @Test func adaptersListJSONHasAllTen() async throws {
        let result = try await CLIRunner.run(["adapters", "list", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let list = try JSON.parse(result.stdout).arrayValue ?? []
        #expect(list.count == 10)
        for item in list {
            #expect(item["code"]?.stringValue != nil)
            #expect(["channel", "courier"].contains(item["kind"]?.stringValue ?? ""))
            #expect(item["name"]?.stringValue != nil)
            #expect(item["capabilities"]?.arrayValue != nil)
        }
        let table = try await CLIRunner.run(["adapters", "list"])
        #expect(table.stdout.contains("shiprocket") && table.stdout.contains("courier"))
    }

    @Test func credentialsValidateValidInvalidAndBadInput() async throws {
        let good = try CLIRunner.temporaryFile(#"{"shop_domain": "acme.myshopify.com", "access_token": "shpat_abc"}"#)
        var result = try await CLIRunner.run(["credentials", "validate", "shopify", good.path])
        #expect(result.status == 0)
        #expect(result.stdout == "valid\n")

        let bad = try CLIRunner.temporaryFile(#"{"shop_domain": 7}"#)
        result = try await CLIRunner.run(["credentials", "validate", "shopify", bad.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init).sorted()
        #expect(lines.count == 2)
        #expect(lines.contains("/access_token: required property is missing"))
        #expect(lines.contains { $0.hasPrefix("/shop_domain: ") })

        // Standard input.
        result = try await CLIRunner.run(["credentials", "validate", "shiprocket", "-"], stdin: #"{"email": "ops@acme.in", "password": "s3cret"}"#)
        #expect(result.status == 0 && result.stdout == "valid\n")

        result = try await CLIRunner.run(["credentials", "validate", "fedex", good.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown adapter 'fedex'"))

        let broken = try CLIRunner.temporaryFile(#"{"shop_domain": "#)
        result = try await CLIRunner.run(["credentials", "validate", "shopify", broken.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not valid JSON"))

        result = try await CLIRunner.run(["credentials", "validate", "shopify", "/nonexistent/creds.json"])
        #expect(result.status == 2)
    }

    @Test func schemaValidateForCustomDocuments() async throws {
        let schema = try CLIRunner.temporaryFile(#"{"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":2},"base_url":{"type":"string","format":"uri"}},"additionalProperties":false}"#)
        let ok = try CLIRunner.temporaryFile(#"{"name":"Acme Couriers","base_url":"https://api.acme.in"}"#)
        var result = try await CLIRunner.run(["schema", "validate", schema.path, ok.path])
        #expect(result.status == 0 && result.stdout == "valid\n")
        let bad = try CLIRunner.temporaryFile(#"{"name":"A","base_url":"not a uri","extra":1}"#)
        result = try await CLIRunner.run(["schema", "validate", schema.path, bad.path])
        #expect(result.status == 1)
        let pointers = result.stdout.split(separator: "\n").map { String($0.split(separator: ":")[0]) }.sorted()
        #expect(pointers == ["/base_url", "/extra", "/name"])
        let notSchema = try CLIRunner.temporaryFile(#"{"type": 12}"#)
        result = try await CLIRunner.run(["schema", "validate", notSchema.path, ok.path])
        #expect(result.status == 2)
    }
}
