/// /__mock/shiprocket/...: controls for tests and the demo, plus the label and
/// manifest documents the API's URLs point at. Never part of Shiprocket's API.
extension ShiprocketMock {
    func admin(_ r: MockRequest) async -> MockResponse {
        let prefix = "/__mock/shiprocket/"
        guard r.path.hasPrefix(prefix) else { return AdminCommon.notFound() }
        let action = String(r.path.dropFirst(prefix.count))
        if action.hasPrefix("files/") && r.method == "GET" {
            return CourierPDF.response(lines: ["Shiprocket (mock) document", String(action.dropFirst(6))])
        }
        if let shared = await courierAdmin(r, action: action) { return shared }
        switch (r.method, action) {
        case ("GET", "state"):
            return AdminCommon.ok { w in
                w.string("now", CourierTime.isoLocal(core.clock.now()))
                w.string("email", options.email)
                w.string("password", options.password)
                w.string("webhook_url", core.webhookURL)
                w.string("webhook_token", core.webhookToken)
                w.string("webhook_header", options.webhookHeader)
                w.int("orders", store.allOrders.count)
                w.int("shipments", core.simulator.awbs.count)
                w.int("webhooks_pending", core.webhooks.pendingCount)
            }
        case ("POST", "token"):
            return AdminCommon.ok { $0.string("token", issueToken()) }
        case ("POST", "pickup-locations"):
            guard let name = r.param("name"), let pin = r.param("pin") else {
                return .json(400, JSONWriter.render { $0.string("error", "name and pin required") })
            }
            let city = CourierGeo.city(forPin: pin)
            addPickupLocation(ShiprocketPickupLocation(name: name, pin: pin, address: r.param("address") ?? "Warehouse, " + city.name,
                                                       city: city.name, state: city.state))
            return AdminCommon.ok { $0.bool("added", true) }
        default:
            return AdminCommon.notFound()
        }
    }
}
