/// Routing of apiv2.shiprocket.in/v1/external: login is open, everything else
/// needs a valid Bearer token.
extension ShiprocketMock {
    static let prefix = "/v1/external"

    func api(_ r: MockRequest) async -> MockResponse {
        guard r.path.hasPrefix(Self.prefix) else { return Self.error(404, "404 Not Found") }
        var path = String(r.path.dropFirst(Self.prefix.count))
        // Both /courier/serviceability and /courier/serviceability/ are used by clients.
        if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path == "/auth/login" {
            guard r.method == "POST" else { return Self.error(405, "405 Method Not Allowed") }
            return login(r)
        }
        switch auth.verify(r.header("authorization")) {
        case .valid: break
        case .expired: return Self.error(401, "Token has expired")
        case .missing, .invalid: return Self.error(401, "Unauthenticated.")
        }
        if let bucket, !bucket.take() {
            return Self.error(429, "Too Many Attempts.")
        }
        let parts = path.split(separator: "/").map(String.init)
        switch (r.method, path) {
        case ("POST", "/auth/logout"):
            auth.revoke(r.header("authorization"))
            return .json(200, JSONWriter.render { $0.string("message", "Successfully logged out") })
        case ("GET", "/courier/serviceability"): return serviceability(r)
        case ("POST", "/orders/create/adhoc"): return createAdhocOrder(r)
        case ("POST", "/orders/cancel"): return cancelOrders(r)
        case ("POST", "/orders/cancel/shipment/awbs"): return cancelAWBs(r)
        case ("POST", "/courier/assign/awb"): return assignAWB(r)
        case ("POST", "/courier/generate/pickup"): return generatePickup(r)
        case ("POST", "/courier/generate/label"): return generateLabel(r)
        case ("POST", "/manifests/generate"): return generateManifest(r)
        case ("POST", "/courier/track/awbs"): return trackAWBs(r)
        case ("GET", "/ndr/all"): return ndrList(r, awb: nil)
        case ("GET", "/settings/company/pickup"): return pickupLocations()
        default: break
        }
        if parts.count == 4, parts[0] == "courier", parts[1] == "track", r.method == "GET" {
            if parts[2] == "awb" { return trackAWB(parts[3]) }
            if parts[2] == "shipment", let id = Int64(parts[3]) { return trackShipment(id) }
        }
        if parts.count == 2, parts[0] == "ndr", r.method == "GET" { return ndrList(r, awb: parts[1]) }
        if parts.count == 3, parts[0] == "ndr", parts[2] == "action" {
            guard r.method == "POST" else { return Self.error(405, "405 Method Not Allowed") }
            return ndrAction(r, awb: parts[1])
        }
        return Self.error(404, "404 Not Found")
    }

    /// POST /auth/login {"email","password"}.
    func login(_ r: MockRequest) -> MockResponse {
        let body = CourierJSON.parse(r.body)
        let email = body?["email"]?.nonEmptyText
        let password = body?["password"]?.nonEmptyText
        var missing: [(String, String)] = []
        if email == nil { missing.append(("email", "The email field is required.")) }
        if password == nil { missing.append(("password", "The password field is required.")) }
        if !missing.isEmpty { return Self.validation("Oops! Invalid Data.", missing) }
        guard email?.lowercased() == options.email.lowercased(), password == options.password else {
            return Self.error(400, "Invalid email and password combination")
        }
        let token = auth.issue(issuer: "https://apiv2.shiprocket.in/v1/external/auth/login")
        return .json(200, JSONWriter.render { w in
            w.int("company_id", options.companyID)
            w.string("created_at", CourierTime.dateTime(core.clock.start - 86_400 * 400))
            w.string("email", options.email)
            w.string("first_name", options.firstName)
            w.int("id", options.userID)
            w.string("last_name", options.lastName)
            w.string("token", token)
        })
    }

    /// GET /settings/company/pickup: the registered pickup locations.
    func pickupLocations() -> MockResponse {
        let locations = store.pickupLocations
        return .json(200, JSONWriter.render { w in
            w.object("data") { w in
                w.array("shipping_address") { w in
                    for (i, p) in locations.enumerated() {
                        w.object { w in
                            w.int("id", 4_850_120 + i)
                            w.string("pickup_location", p.name)
                            w.null("address_type")
                            w.string("address", p.address)
                            w.string("address_2", "")
                            w.string("city", p.city)
                            w.string("state", p.state)
                            w.string("country", "India")
                            w.string("pin_code", p.pin)
                            w.string("email", p.email)
                            w.int("is_first_mile_pickup", 0)
                            w.string("phone", p.phone)
                            w.string("name", p.contactName)
                            w.int("company_id", options.companyID)
                            w.int("status", 2)
                            w.int("phone_verified", 1)
                        }
                    }
                }
                w.string("allow_more", "1")
                w.bool("is_blackbox_seller", false)
                w.string("company_name", "Mock Seller Pvt Ltd")
                w.emptyArray("recent_addresses")
            }
        })
    }

    /// `shipment_id` as a number, numeric string, or (for endpoints taking arrays) array.
    static func ids(_ v: CourierJSON?) -> [Int64]? {
        guard let v else { return nil }
        if let a = v.array { return a.compactMap(\.int) }
        return v.int.map { [$0] }
    }

    /// A new order/shipment event happened: history plus webhook.
    func record(_ events: [SimEvent]) { publish(events) }
}
