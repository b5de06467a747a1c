import AdapterKit
import DelhiveryAdapter
import Foundation
import GatewayModel
import JSONCore
import ShiprocketAdapter
import Testing

@Suite("Courier webhooks")
struct WebhookTests {
    let shiprocket = Adapters.shiprocket()
    let delhivery = Adapters.delhivery()

    static func request(_ provider: String, _ sample: String, headers: [(name: String, value: String)]) throws -> WebhookRequest {
        WebhookRequest(headers: headers, body: Array(try Data(contentsOf: Samples.folder(provider).appendingPathComponent(sample))))
    }

    @Test func shiprocketTokenInXAPIKey() throws {
        let connection = Adapters.shiprocketConnection()
        let body = "webhook-in-transit.json"
        #expect(shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: [("x-api-key", "sr-webhook-token-0123456789abcdef")]),
                                         connection))
        // Header names are case-insensitive.
        #expect(shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: [("X-Api-Key", "sr-webhook-token-0123456789abcdef")]),
                                         connection))
        #expect(!shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: [("x-api-key", "sr-webhook-token-0123456789abcdeX")]),
                                          connection))
        #expect(!shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: [("x-api-key", "sr-webhook-token")]), connection))
        #expect(!shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: [("x-api-key", "")]), connection))
        #expect(!shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: []), connection))
        // The token in another header is not the token.
        #expect(!shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: [("Authorization", "sr-webhook-token-0123456789abcdef")]),
                                          connection))
        // A connection without a configured token verifies nothing.
        let unconfigured = Adapters.shiprocketConnection(settings: [:])
        #expect(!shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: [("x-api-key", "sr-webhook-token-0123456789abcdef")]),
                                          unconfigured))
        let empty = Adapters.shiprocketConnection(settings: ["webhook_token": ""])
        #expect(!shiprocket.verifyWebhook(try Self.request("shiprocket", body, headers: [("x-api-key", "")]), empty))
    }

    @Test func delhiveryValueInAuthorization() throws {
        let connection = Adapters.delhiveryConnection()
        let body = "webhook-pending-ndr.json"
        #expect(delhivery.verifyWebhook(try Self.request("delhivery", body, headers: [("Authorization", "dlv-scan-push-0123456789abcdef")]),
                                        connection))
        #expect(!delhivery.verifyWebhook(try Self.request("delhivery", body, headers: [("Authorization", "Token dlv-scan-push-0123456789abcdef")]),
                                         connection))
        #expect(!delhivery.verifyWebhook(try Self.request("delhivery", body, headers: [("Authorization", "wrong")]), connection))
        #expect(!delhivery.verifyWebhook(try Self.request("delhivery", body, headers: []), connection))
        #expect(!delhivery.verifyWebhook(try Self.request("delhivery", body, headers: [("Authorization", "dlv-scan-push-0123456789abcdef")]),
                                         Adapters.delhiveryConnection(settings: [:])))
    }

    @Test func parsedWebhooksAreTrackingEvents() throws {
        let sr = try shiprocket.parseWebhook(try Self.request("shiprocket", "webhook-rto-delivered.json", headers: []))
        #expect(sr.last?.status == .rtoDelivered && sr.last?.awb == "19041146000001")
        let dl = try delhivery.parseWebhook(try Self.request("delhivery", "webhook-returned.json", headers: []))
        #expect(dl.map(\.status) == [.rtoDelivered])
    }

    @Test func garbageBodiesAreUnrecognized() {
        for body in ["", "not json", "[]", "{}", "42", #"{"awb": "1"}"#] {
            let request = WebhookRequest(headers: [], body: Array(body.utf8))
            do {
                _ = try shiprocket.parseWebhook(request)
                Issue.record("shiprocket accepted \(body)")
            } catch {
                #expect(isUnrecognized(error), "shiprocket \(body): \(error)")
            }
            do {
                _ = try delhivery.parseWebhook(request)
                Issue.record("delhivery accepted \(body)")
            } catch {
                #expect(isUnrecognized(error), "delhivery \(body): \(error)")
            }
        }
    }

    @Test func numericAWBInShiprocketWebhook() throws {
        // Shiprocket's documented sample sends the AWB as a JSON number.
        var hook = try #require(try Samples.json("shiprocket", "webhook-delivered.json").objectValue)
        hook["awb"] = .number(JSONNumber(19_041_487_000_002))
        let events = try shiprocket.normalizeTracking(.object(hook))
        #expect(events.allSatisfy { $0.awb == "19041487000002" })
    }
}
