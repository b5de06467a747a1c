import Foundation
import GatewayRPC
import JSONCore
import MockServers

/// The mock providers the demo runs in-process.
struct DemoMocks: Sendable {
    let shopify: ShopifyMock
    let amazon: AmazonMock
    let shiprocket: ShiprocketMock
    let delhivery: DelhiveryMock

    static func start(shopifyOrders: Int, amazonOrders: Int) async throws -> DemoMocks {
        var shopify = ShopifyMockOptions()
        shopify.orderCount = shopifyOrders
        var amazon = AmazonMockOptions()
        amazon.orderCount = amazonOrders
        // Couriers deliver every tracking event twice and shuffle them within a window of four.
        var delivery = WebhookDeliveryConfig()
        delivery.duplicates = 2
        delivery.shuffleWindow = 4
        var shiprocket = ShiprocketMockOptions()
        shiprocket.webhookDelivery = delivery
        shiprocket.scenarioWeights = .allDelivered
        var delhivery = DelhiveryMockOptions()
        delhivery.webhookDelivery = delivery
        delhivery.scenarioWeights = .allDelivered
        return DemoMocks(shopify: try await ShopifyMock.start(shopify), amazon: try await AmazonMock.start(amazon),
                         shiprocket: try await ShiprocketMock.start(shiprocket), delhivery: try await DelhiveryMock.start(delhivery))
    }

    var baseURLOverrides: [String: String] {
        ["shopify": shopify.baseURL, "amazon": amazon.baseURL, "shiprocket": shiprocket.baseURL, "delhivery": delhivery.baseURL]
    }

    func stop() async {
        await shopify.stop()
        await amazon.stop()
        await shiprocket.stop()
        await delhivery.stop()
    }
}

/// What the demo does through the RPC socket, in order.
struct DemoStory: Sendable {
    let client: RPCClient
    let tenant: String
    let mocks: DemoMocks
    let httpPort: Int
    let plan: DemoPlan
    let say: DemoOutput
    let inboxDrained: @Sendable () async throws -> Int

    func call(_ method: String, _ params: JSONObject) async throws -> JSON {
        var params = params
        params["tenant"] = .string(tenant)
        do {
            return try await client.call(method, .object(params), timeout: .seconds(300))
        } catch let error as RPCError {
            throw CommandFailure(description: "\(method) failed: \(error)")
        }
    }

    func run() async throws {
        say.step("connecting providers through the RPC socket")
        let shopify = try await call("channels.connect", [
            "adapter": "shopify", "name": "Shopify (mock)", "webhook_secret": .string(mocks.shopify.options.clientSecret),
            "credentials": ["shop_domain": .string(mocks.shopify.options.shopDomain), "access_token": .string(mocks.shopify.options.accessToken),
                            "api_version": "2026-10"],
        ])
        let amazon = try await call("channels.connect", [
            "adapter": "amazon", "name": "Amazon.in (mock)",
            "credentials": ["seller_id": .string(mocks.amazon.options.sellerID), "marketplace_id": .string(mocks.amazon.options.marketplaceID),
                            "region": "IN", "lwa_client_id": .string(mocks.amazon.options.clientID),
                            "lwa_client_secret": .string(mocks.amazon.options.clientSecret), "refresh_token": .string(mocks.amazon.options.refreshToken)],
        ])
        let shiprocket = try await call("couriers.connect", [
            "adapter": "shiprocket", "name": "Shiprocket (mock)", "is_default": true,
            "webhook_secret": .string(mocks.shiprocket.webhookToken ?? ""),
            "credentials": ["email": .string(mocks.shiprocket.email), "password": .string(mocks.shiprocket.password)],
            "settings": ["pickup_address": Self.address(name: "Primary", line1: "Unit 7, Andheri Industrial Estate, Off Veera Desai Road",
                                                        city: "Mumbai", state: "Maharashtra", pin: "400069")],
        ])
        let delhivery = try await call("couriers.connect", [
            "adapter": "delhivery", "name": "Delhivery (mock)", "webhook_secret": .string(mocks.delhivery.webhookToken ?? ""),
            "credentials": ["api_token": .string(mocks.delhivery.apiToken), "pickup_location": "Mock Seller Warehouse"],
            "settings": ["pickup_address": Self.address(name: "Mock Seller Warehouse", line1: "B-42, Okhla Industrial Area Phase 1",
                                                        city: "New Delhi", state: "Delhi", pin: "110020")],
        ])
        for (label, value, key) in [("channel", shopify, "channel"), ("channel", amazon, "channel"),
                                    ("courier", shiprocket, "courier"), ("courier", delhivery, "courier")] {
            let object = value[key]
            say.line("    \(label) \(object?["name"]?.stringValue ?? "?"): \(object?["id"]?.stringValue ?? "?")  webhook \(object?["webhook_url"]?.stringValue ?? "-")")
        }
        // The couriers push tracking to the gateway's webhook server, as configured in their panels.
        guard let shiprocketID = shiprocket["courier"]?["id"]?.stringValue, let delhiveryID = delhivery["courier"]?["id"]?.stringValue,
              let shopifyID = shopify["channel"]?["id"]?.stringValue, let amazonID = amazon["channel"]?["id"]?.stringValue else {
            throw CommandFailure(description: "connect results lack ids")
        }
        mocks.shiprocket.webhookURL = "http://127.0.0.1:\(httpPort)/webhooks/couriers/tracking/\(shiprocketID)"
        mocks.delhivery.webhookURL = "http://127.0.0.1:\(httpPort)/webhooks/couriers/delhivery/\(delhiveryID)"

        for (name, id) in [("Shopify", shopifyID), ("Amazon", amazonID)] {
            try await pull(name: name, channelID: id)
        }
        let booked = try await book(couriers: [shiprocketID, delhiveryID])
        try await deliver(booked: booked)
    }

    /// One page per call, so progress shows as it goes.
    func pull(name: String, channelID: String) async throws {
        say.step("pulling \(name) orders (channels.sync)")
        var total = 0
        var pages = 0
        while true {
            let progress = try await call("channels.sync", ["channel_id": .string(channelID), "max_pages": 1])
            pages += 1
            total += progress["orders"]?.numberValue?.intValue ?? 0
            say.line("    page \(pages): \(total) orders so far")
            if progress["complete"]?.boolValue == true { break }
        }
    }

    func book(couriers: [String]) async throws -> [(awb: String, courier: String, shipment: String)] {
        say.step("booking \(plan.shipments) shipments (shipments.create)")
        // Scripted journeys for the first bookings at each courier; the rest are plain deliveries.
        let scripted: [CourierScenario] = [
            .ndrThenDelivered(attempts: 1, reason: .customerUnavailable), .ndrThenRTO(attempts: 3, reason: .refused),
            .ndrThenDelivered(attempts: 2, reason: .incompleteAddress), .ndrThenRTO(attempts: 2, reason: .codNotReady),
            .ndrThenDelivered(attempts: 1, reason: .wrongAddress),
        ]
        for scenario in scripted {
            mocks.shiprocket.setScenarioForNextBookings(scenario)
            mocks.delhivery.setScenarioForNextBookings(scenario)
        }
        var candidates: [JSON] = []
        var before: JSON = .null
        while candidates.count < plan.shipments {
            var params: JSONObject = ["limit": 200]
            if let cursor = before.stringValue { params["before"] = .string(cursor) }
            let page = try await call("orders.list", params)
            candidates += (page["orders"]?.arrayValue ?? []).filter {
                ["pending", "confirmed", "processing"].contains($0["status"]?.stringValue ?? "") && $0["fulfillment_status"]?.stringValue == "unfulfilled"
            }
            before = page["next_before"] ?? .null
            if before.isNull { break }
        }
        var booked: [(awb: String, courier: String, shipment: String)] = []
        var failures = 0
        for (index, order) in candidates.prefix(plan.shipments).enumerated() {
            guard let orderID = order["id"]?.stringValue else { continue }
            let params: JSONObject = ["order_id": .string(orderID), "courier_id": .string(couriers[index % couriers.count]),
                                      "idempotency_key": .string("demo-\(orderID)"),
                                      "package": ["weight_grams": 500, "length_cm": 25, "width_cm": 20, "height_cm": 5]]
            do {
                let result = try await call("shipments.create", params)
                booked.append((result["awb"]?.stringValue ?? "", result["courier"]?.stringValue ?? "", result["shipment_id"]?.stringValue ?? ""))
                if index == 0 {
                    // A caller that timed out retries with the same key: same booking, nothing booked twice.
                    let retry = try await call("shipments.create", params)
                    say.line("    \(order["order_number"]?.stringValue ?? orderID): AWB \(result["awb"]?.stringValue ?? "?") via \(result["courier"]?.stringValue ?? "?"), "
                             + "label \(result["label_url"]?.stringValue ?? "-")")
                    say.line("    retry with the same idempotency key -> AWB \(retry["awb"]?.stringValue ?? "?") (same booking)")
                }
            } catch {
                failures += 1
                say.line("    \(order["order_number"]?.stringValue ?? orderID): not booked: \(error)")
            }
        }
        say.line("    \(booked.count) booked, \(failures) refused by the courier")
        return booked
    }

    /// Simulated days pass at the couriers, which push every scan to the gateway.
    func deliver(booked: [(awb: String, courier: String, shipment: String)]) async throws {
        say.step("couriers move the parcels and push tracking webhooks (duplicates, out of order)")
        var actedOnNDR = false
        for day in 1...14 {
            for _ in 0..<24 {
                _ = await mocks.shiprocket.advance(minutes: 60)
                _ = await mocks.delhivery.advance(minutes: 60)
            }
            _ = await mocks.shiprocket.drainWebhooks()
            _ = await mocks.delhivery.drainWebhooks()
            let pending = try await inboxDrained()
            let open = try await call("ndr.list", ["status": "open", "limit": 100])["ndr"]?.arrayValue ?? []
            say.line("    day \(day): \(open.count) open NDR case(s)\(pending > 0 ? ", \(pending) webhook(s) still queued" : "")")
            if !actedOnNDR, let first = open.first, let id = first["id"]?.stringValue {
                actedOnNDR = true
                let result = try await call("ndr.action", ["ndr_id": .string(id), "action": "reattempt",
                                                           "remarks": "Customer asked for delivery after 6 pm"])
                say.line("    ndr.action reattempt on \(first["ndr_number"]?.stringValue ?? id) (\(first["reason_code"]?.stringValue ?? "?")): "
                         + "\(result["outcome"]?.stringValue ?? "?"), case now \(result["status"]?.stringValue ?? "?")")
            }
            let remaining = booked.filter { !(mocks.shiprocket.simulator.lastEvent(awb: $0.awb)?.step.isTerminal ?? true)
                || !(mocks.delhivery.simulator.lastEvent(awb: $0.awb)?.step.isTerminal ?? true) }
            if remaining.isEmpty && pending == 0 { break }
        }
        if let sample = booked.first {
            let tracked = try await call("shipments.track", ["shipment_id": .string(sample.shipment)])
            say.line("    shipments.track \(sample.awb): \(tracked["shipment"]?["status"]?.stringValue ?? "?"), "
                     + "\(tracked["events"]?.arrayValue?.count ?? 0) events stored")
        }
    }

    static func address(name: String, line1: String, city: String, state: String, pin: String) -> JSON {
        ["name": .string(name), "phone": "+919820012345", "line1": .string(line1), "city": .string(city), "state": .string(state),
         "postal_code": .string(pin), "country": "IN"]
    }
}
