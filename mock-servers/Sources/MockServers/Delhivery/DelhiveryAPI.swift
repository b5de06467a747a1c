import Foundation

/// Routing of the Delhivery B2C API: `Authorization: Token <api token>` on
/// every call, then the per-IP limit of the operation.
extension DelhiveryMock {
    func api(_ r: MockRequest) async -> MockResponse {
        var path = r.path
        if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let route = Self.route(method: r.method, path: path)
        guard route != .notFound else { return Self.detail(404, "Not found.") }
        if case let .wrongMethod(allowed) = route, allowed != r.method {
            return Self.detail(405, "Method \"\(r.method)\" not allowed.")
        }
        switch authenticate(r) {
        case .missing: return Self.detail(401, "Authentication credentials were not provided.")
        case .invalid: return Self.detail(401, "Invalid token.")
        case .valid: break
        }
        if limiters.enabled, let limiter = limiter(for: route) {
            let (ok, retryAfter) = limiter.take()
            if !ok { return Self.throttled(retryAfter: retryAfter) }
        }
        switch route {
        case .pincodes: return pincodes(r)
        case .create: return createShipments(r)
        case .edit: return edit(r)
        case .packingSlip: return packingSlip(r)
        case .pickup: return pickupRequest(r)
        case .track: return track(r)
        case .ndrUpdate: return ndrUpdate(r)
        case .shippingCost: return shippingCost(r)
        case let .uplStatus(id): return uplStatus(id)
        case .notFound, .wrongMethod: return Self.detail(404, "Not found.")
        }
    }

    enum Route: Equatable {
        case pincodes, create, edit, packingSlip, pickup, track, ndrUpdate, shippingCost
        case uplStatus(String)
        case wrongMethod(String)
        case notFound
    }

    static func route(method: String, path: String) -> Route {
        let table: [(String, String, Route)] = [
            ("GET", "/c/api/pin-codes/json", .pincodes),
            ("POST", "/api/cmu/create.json", .create),
            ("POST", "/api/p/edit", .edit),
            ("GET", "/api/p/packing_slip", .packingSlip),
            ("POST", "/fm/request/new", .pickup),
            ("GET", "/api/v1/packages/json", .track),
            ("POST", "/api/p/update", .ndrUpdate),
            ("GET", "/api/kinko/v1/invoice/charges/.json", .shippingCost),
        ]
        if let hit = table.first(where: { $0.1 == path }) { return hit.0 == method ? hit.2 : .wrongMethod(hit.0) }
        let uplPrefix = "/api/cmu/get_bulk_upl/"
        if path.hasPrefix(uplPrefix) && path.count > uplPrefix.count {
            return method == "GET" ? .uplStatus(String(path.dropFirst(uplPrefix.count))) : .wrongMethod("GET")
        }
        return .notFound
    }

    func limiter(for route: Route) -> DelhiveryWindowLimiter? {
        switch route {
        case .pincodes: return limiters.pincode
        case .create: return limiters.create
        case .edit: return limiters.edit
        case .packingSlip: return limiters.label
        case .pickup: return limiters.pickup
        case .track: return limiters.track
        default: return nil
        }
    }

    enum AuthVerdict { case valid, missing, invalid }

    /// `Authorization: Token <token>`; the legacy `?token=` query parameter is accepted too.
    func authenticate(_ r: MockRequest) -> AuthVerdict {
        var presented: String?
        if let h = r.header("authorization") {
            let parts = h.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].lowercased() == "token" else { return .invalid }
            presented = parts[1].trimmingCharacters(in: .whitespaces)
        } else if let q = r.param("token") {
            presented = q
        }
        guard let presented, !presented.isEmpty else { return .missing }
        return ShiprocketAuth.constantTimeEqual(presented, options.apiToken) ? .valid : .invalid
    }

    /// JSON bodies: raw JSON, or the form style some endpoints share (`format=json&data=<json>`).
    static func jsonBody(_ r: MockRequest) -> CourierJSON? {
        if let direct = CourierJSON.parse(r.body) { return direct }
        let form = FormCoding.decode(String(decoding: r.body, as: UTF8.self))
        return form.first { $0.name == "data" }.flatMap { CourierJSON.parse($0.value) }
    }

    /// Events from an API call: history plus Scan Push.
    func record(_ events: [SimEvent]) { publish(events) }
}
