import Foundation
import GatewayEngine
@testable import GatewayRPC
import GatewayStore
import JSONCore
import MockServers
import Testing
import TestSupport

@Suite("Gateway RPC methods", .serialized)
struct GatewayMethodsTests {
    static let pickup: JSON = ["name": "Primary", "phone": "+919820012345", "line1": "Unit 7, Andheri Industrial Estate",
                               "city": "Mumbai", "state": "Maharashtra", "postal_code": "400069", "country": "IN"]

    @Test func theContractDeclaresExactlyTheRegisteredMethods() throws {
        let contract = try RPCContract.load()
        let onDisk = try JSON.parse(Array(try Data(contentsOf: RepositoryPaths.root().appendingPathComponent("contracts/rpc/openrpc.json"))))
        #expect(contract.document == onDisk, "the binary embeds contracts/rpc/openrpc.json")
        #expect(contract.document["openrpc"]?.stringValue?.hasPrefix("1.") == true)
        let expected = ["rpc.discover", "system.health", "adapters.list", "credentials.validate", "channels.connect", "channels.list",
                        "channels.disconnect", "channels.sync", "channels.update_credentials", "couriers.connect", "couriers.list", "orders.get", "orders.list",
                        "shipments.quote", "shipments.create", "shipments.label", "shipments.cancel", "shipments.track", "ndr.list", "ndr.action"]
        #expect(Set(contract.methodNames) == Set(expected))
    }

    @Test func everyMethodEndToEndAgainstTheContract() async throws {
        var shopifyOptions = ShopifyMockOptions()
        shopifyOptions.orderCount = 60
        let shopify = try await ShopifyMock.start(shopifyOptions)
        var shiprocketOptions = ShiprocketMockOptions()
        shiprocketOptions.scenarioWeights = .allDelivered
        let shiprocket = try await ShiprocketMock.start(shiprocketOptions)
        defer { Task { await shopify.stop(); await shiprocket.stop() } }
        try await MethodsFixture.with(overrides: ["shopify": shopify.baseURL, "shiprocket": shiprocket.baseURL]) { rpc in
            try await rpc.tenant("acme")
            let discovered = try await rpc.call("rpc.discover")
            #expect(discovered == rpc.contract.document)
            #expect(try await rpc.call("system.health")["status"]?.string == "ok")
            #expect(try await rpc.call("adapters.list")["adapters"]?.array.count == 10)
            #expect(try await rpc.call("adapters.list", ["kind": "courier"])["adapters"]?.array.count == 5)

            // Credentials: checked, never stored, problems named by pointer.
            let invalid = try await rpc.call("credentials.validate", ["adapter": "shopify", "credentials": ["shop_domain": "not a domain"]])
            #expect(invalid["valid"] == false)
            #expect(invalid["errors"]?.array.isEmpty == false)
            let shopifyCredentials: JSON = ["shop_domain": .string(shopify.options.shopDomain), "access_token": .string(shopify.options.accessToken),
                                            "api_version": "2026-10"]
            #expect(try await rpc.call("credentials.validate", ["adapter": "shopify", "credentials": shopifyCredentials])["valid"] == true)
            let refused = try await rpc.failure("channels.connect", ["tenant": "acme", "adapter": "shopify", "credentials": ["shop_domain": "x"]],
                                                "credentials_invalid")
            let pointers = refused.data?["errors"]?.array.map { $0["pointer"]?.string ?? "" } ?? []
            #expect(!pointers.isEmpty && pointers.allSatisfy { $0.hasPrefix("/") || $0.isEmpty })

            // Channels and orders.
            let channel = try await rpc.call("channels.connect", ["tenant": "acme", "adapter": "shopify", "credentials": shopifyCredentials,
                                                                  "webhook_secret": .string(shopify.options.clientSecret)])["channel"]
            let channelID = channel?["id"]?.string ?? ""
            #expect(channel?["status"]?.string == "active")
            #expect(try await rpc.call("channels.list", ["tenant": "acme"])["channels"]?.array.count == 1)
            let progress = try await rpc.call("channels.sync", ["tenant": "acme", "channel_id": .string(channelID)])
            #expect(progress["complete"] == true && progress["inserted"]?.int == 60)
            let first = try await rpc.call("orders.list", ["tenant": "acme", "limit": 25])
            let second = try await rpc.call("orders.list", ["tenant": "acme", "limit": 25, "before": first["next_before"] ?? .null])
            let third = try await rpc.call("orders.list", ["tenant": "acme", "limit": 25, "before": second["next_before"] ?? .null])
            let ids = (first["orders"]?.array ?? []) + (second["orders"]?.array ?? []) + (third["orders"]?.array ?? [])
            #expect(Set(ids.map { $0["id"]?.string ?? "" }).count == 60 && third["next_before"] == .null)
            let summary = try #require(ids.first)
            let order = try await rpc.call("orders.get", ["tenant": "acme", "order_id": summary["id"] ?? .null])["order"]
            #expect(order?["items"]?.array.isEmpty == false)
            let byExternal = try await rpc.call("orders.get", ["tenant": "acme", "channel_id": .string(channelID),
                                                               "external_order_id": summary["external_order_id"] ?? .null])["order"]
            #expect(byExternal?["id"] == summary["id"])
            try await rpc.failure("orders.get", ["tenant": "acme", "order_id": .string(UUID().uuidString)], "not_found")

            // Couriers and shipments.
            let courier = try await rpc.call("couriers.connect", [
                "tenant": "acme", "adapter": "shiprocket", "is_default": true, "webhook_secret": .string(shiprocket.webhookToken ?? ""),
                "credentials": ["email": .string(shiprocket.email), "password": .string(shiprocket.password)],
                "settings": ["pickup_address": Self.pickup],
            ])["courier"]
            #expect(courier?["is_default"] == true && courier?["credentials"] == nil)
            #expect(try await rpc.call("couriers.list", ["tenant": "acme"])["couriers"]?.array.count == 1)
            let shippable = try await shippableOrders(rpc, ids)
            let target = try #require(shippable.first)
            let quote = try await rpc.call("shipments.quote", ["tenant": "acme", "pickup_pincode": "400069", "order_id": .string(target),
                                                               "weight_grams": 500])
            #expect(quote["quotes"]?.array.isEmpty == false)
            let create: JSON = ["tenant": "acme", "order_id": .string(target), "idempotency_key": "rpc-test-1", "package": ["weight_grams": 500]]
            let booked = try await rpc.call("shipments.create", create)
            let again = try await rpc.call("shipments.create", create)
            #expect(booked["awb"] != nil && again["awb"] == booked["awb"] && again["shipment_id"] == booked["shipment_id"])
            try await rpc.failure("shipments.create", ["tenant": "acme", "order_id": .string(target), "idempotency_key": "rpc-test-1",
                                                       "package": ["weight_grams": 900]], "conflict")
            let shipmentID = booked["shipment_id"] ?? .null
            #expect(try await rpc.call("shipments.label", ["tenant": "acme", "shipment_id": shipmentID])["label_url"]?.string.isEmpty == false)
            #expect(try await rpc.call("shipments.track", ["tenant": "acme", "shipment_id": shipmentID])["shipment"]?["awb"] == booked["awb"])
            #expect(try await rpc.call("shipments.track", ["tenant": "acme", "awb": booked["awb"] ?? .null])["shipment"]?["id"] == shipmentID)
            #expect(try await rpc.call("shipments.cancel", ["tenant": "acme", "shipment_id": shipmentID])["status"]?.string == "cancelled")
            #expect(try await rpc.call("shipments.cancel", ["tenant": "acme", "shipment_id": shipmentID])["already_cancelled"] == true)

            // A failed delivery attempt opens an NDR case; an action goes to the courier and is recorded.
            let ndrTarget = try #require(shippable.dropFirst().first)
            shiprocket.setScenarioForNextBookings(.ndrThenDelivered(attempts: 2, reason: .customerUnavailable))
            let second2 = try await rpc.call("shipments.create", ["tenant": "acme", "order_id": .string(ndrTarget), "idempotency_key": "rpc-test-2",
                                                                  "package": ["weight_grams": 500]])
            var open: [JSON] = []
            for _ in 0..<40 where open.isEmpty {
                _ = await shiprocket.advance(minutes: 240)
                _ = try await rpc.call("shipments.track", ["tenant": "acme", "shipment_id": second2["shipment_id"] ?? .null, "refresh": true])
                open = try await rpc.call("ndr.list", ["tenant": "acme", "status": "open"])["ndr"]?.array ?? []
            }
            let ndr = try #require(open.first)
            #expect(ndr["shipment_id"] == second2["shipment_id"] && ndr["reason_code"]?.string == "customer_unavailable")
            let acted = try await rpc.call("ndr.action", ["tenant": "acme", "ndr_id": ndr["id"] ?? .null, "action": "reattempt",
                                                          "preferred_date": "2026-12-01", "remarks": "after 6 pm"])
            #expect(acted["ndr_id"] == ndr["id"])
            let recorded = try await TenantCount.rows(rpc.database, "tenant_acme", "SELECT count(*)::int FROM ndr_actions")
            #expect(recorded == 1)
            try await rpc.failure("ndr.action", ["tenant": "acme", "ndr_id": .string(UUID().uuidString), "action": "rto"], "not_found")

            // A pull the scheduler is running is not raced by a manual one.
            let jobs = JobStore(database: rpc.database)
            let held = try #require(try await jobs.claim(owner: "other-process", limit: 1, lease: .seconds(60), kind: .channelPull,
                                                         tenantSchema: "tenant_acme", targetID: UUID(uuidString: channelID), ignoringSchedule: true).first)
            let busy = try await rpc.failure("channels.sync", ["tenant": "acme", "channel_id": .string(channelID)], "conflict")
            #expect(busy.message.contains("already running"))
            try await jobs.release(held)
            let rerun = try await rpc.call("channels.sync", ["tenant": "acme", "channel_id": .string(channelID)])
            #expect(rerun["complete"] == true && rerun["inserted"]?.int == 0, "\(rerun)")

            // Revoked credentials pause the channel; new ones resume it.
            try await rpc.failure("channels.update_credentials", ["tenant": "acme", "channel_id": .string(channelID),
                                                                  "credentials": ["shop_domain": .string(shopify.options.shopDomain),
                                                                                  "access_token": "shpat_ffffffffffffffffffffffffffffffff"]],
                                  "upstream_error")
            let updated = try await rpc.call("channels.update_credentials", ["tenant": "acme", "channel_id": .string(channelID),
                                                                             "credentials": shopifyCredentials])
            #expect(updated["channel"]?["status"]?.string == "active" && updated["channel"]?["sync_error"] == .null)

            // Disconnect stops pulls.
            #expect(try await rpc.call("channels.disconnect", ["tenant": "acme", "channel_id": .string(channelID)])["disconnected"] == true)
            try await rpc.failure("channels.sync", ["tenant": "acme", "channel_id": .string(channelID)], "conflict")
        }
    }

    /// Orders the mock courier accepts: a phone and a six-digit PIN.
    func shippableOrders(_ rpc: MethodsFixture, _ summaries: [JSON]) async throws -> [String] {
        var result: [String] = []
        for summary in summaries where ["pending", "confirmed", "processing"].contains(summary["status"]?.string ?? "") {
            let order = try await rpc.call("orders.get", ["tenant": "acme", "order_id": summary["id"] ?? .null])["order"]
            let address = order?["shipping_address"]
            let pin = address?["postal_code"]?.string ?? ""
            if pin.count == 6, pin.allSatisfy(\.isNumber), !(address?["phone"]?.string ?? "").isEmpty, !["744301", "194109"].contains(pin) {
                result.append(summary["id"]?.string ?? "")
            }
            if result.count == 2 { break }
        }
        return result
    }

    @Test func errorsCarryTheContractsCodes() async throws {
        try await MethodsFixture.with(overrides: [:]) { rpc in
            try await rpc.tenant("small", plan: "starter")
            let small = try await TenantStore(database: rpc.database).require(slug: "small")
            for feature in ["ndr_management", "shipment_management"] {
                try await FeatureGate(database: rpc.database).setOverride(tenantID: small.id, feature: feature, enabled: false, reason: "test")
            }
            try await rpc.failure("channels.list", ["tenant": "nobody"], "tenant_not_found")
            try await rpc.failure("credentials.validate", ["adapter": "nope", "credentials": [:]], "not_found")
            try await rpc.failure("ndr.list", ["tenant": "small"], "feature_disabled")
            // A starter plan does not include Amazon.
            let amazon: JSON = ["seller_id": "A2MOCKSELLER7QZ", "marketplace_id": "A21TJRUUN4KGV", "lwa_client_id": "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef",
                                "lwa_client_secret": "secret", "refresh_token": "Atzr|token"]
            let planError = try await rpc.failure("channels.connect", ["tenant": "small", "adapter": "amazon", "credentials": amazon,
                                                                       "test_connection": false], "plan_limit")
            #expect(planError.message.contains("amazon"))
            try await rpc.failure("shipments.create", ["tenant": "small", "order_id": .string(UUID().uuidString), "idempotency_key": "k",
                                                       "package": ["weight_grams": 10], "pickup_address": Self.pickup], "feature_disabled")

            // Params that break the contract: -32602 naming the field, before any handler runs.
            for (method, params) in [("channels.list", JSON.object([:])), ("orders.get", ["tenant": "small", "order_id": "not-a-uuid"]),
                                     ("shipments.create", ["tenant": "small", "order_id": .string(UUID().uuidString), "idempotency_key": "k",
                                                           "package": ["weight_grams": 0]]),
                                     ("channels.list", ["tenant": "small", "unexpected": true]), ("system.health", [1, 2])] {
                do {
                    _ = try await rpc.client.call(method, params)
                    Issue.record("\(method) accepted \(params.serialized())")
                } catch let error as RPCError {
                    #expect(error.code == -32602, "\(method): \(error)")
                }
            }
            do {
                _ = try await rpc.client.call("orders.get", ["tenant": "small", "order_id": "not-a-uuid"])
            } catch let error as RPCError {
                #expect(error.data?["errors"]?[0]?["pointer"]?.stringValue == "/order_id")
            }
            do {
                _ = try await rpc.client.call("orders.delete", ["tenant": "small"])
                Issue.record("an unknown method answered")
            } catch let error as RPCError {
                #expect(error.code == -32601)
            }
        }
    }
}

enum TenantCount {
    static func rows(_ database: GatewayDatabase, _ schema: String, _ sql: String) async throws -> Int {
        try await database.withTenantTransaction(schema: schema) { db in
            try await db.query(.init(unsafeSQL: sql), logger: database.logger).collect().first?.decode(Int.self) ?? -1
        }
    }
}
