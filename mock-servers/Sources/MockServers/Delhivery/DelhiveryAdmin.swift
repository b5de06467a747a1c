/// /__mock/delhivery/...: controls for tests and the demo, plus the PDFs the
/// packing-slip links point at. Never part of Delhivery's API.
extension DelhiveryMock {
    func admin(_ r: MockRequest) async -> MockResponse {
        let prefix = "/__mock/delhivery/"
        guard r.path.hasPrefix(prefix) else { return AdminCommon.notFound() }
        let action = String(r.path.dropFirst(prefix.count))
        if action.hasPrefix("files/") && r.method == "GET" {
            return CourierPDF.response(lines: ["Delhivery (mock) packing slip", String(action.dropFirst(6))])
        }
        if let shared = await courierAdmin(r, action: action) { return shared }
        switch (r.method, action) {
        case ("GET", "state"):
            return AdminCommon.ok { w in
                w.string("now", CourierTime.isoLocal(core.clock.now()))
                w.string("api_token", options.apiToken)
                w.string("client_name", options.clientName)
                w.string("webhook_url", core.webhookURL)
                w.string("webhook_token", core.webhookToken)
                w.int("packages", store.count)
                w.int("webhooks_pending", core.webhooks.pendingCount)
            }
        case ("POST", "warehouses"):
            guard let name = r.param("name"), let pin = r.param("pin") else {
                return .json(400, JSONWriter.render { $0.string("error", "name and pin required") })
            }
            let city = CourierGeo.city(forPin: pin)
            addWarehouse(DelhiveryWarehouse(name: name, pin: pin, address: r.param("address") ?? "Warehouse, " + city.name,
                                            city: city.name, state: city.state))
            return AdminCommon.ok { $0.bool("added", true) }
        default:
            return AdminCommon.notFound()
        }
    }
}
