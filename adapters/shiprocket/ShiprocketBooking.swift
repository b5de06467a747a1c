import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Booking = adhoc order -> courier choice -> AWB -> pickup -> label -> manifest.
///
/// Retry-safe end to end: the adhoc order's `order_id` is our shipment number,
/// which Shiprocket dedupes, and its answer carries the AWB once assigned, so
/// a booking repeated after any failed step resumes instead of double-booking.
/// Pickup and manifest are best effort (logged): the AWB and label are what
/// the seller needs, and both can be redone in the panel.
struct ShiprocketBooking {
    let client: ShiprocketClient

    func create(_ request: ShipmentRequest) async throws -> CreatedShipment {
        let pickup = try await pickupLocation(for: request.pickupAddress)
        let payload = try Self.orderPayload(request, pickupLocation: pickup)
        let order = try await client.json(.POST, "/orders/create/adhoc", body: payload, operation: "createOrder", idempotent: true)
        guard let orderID = CourierField.int(order["order_id"]), let shipmentID = CourierField.int(order["shipment_id"]) else {
            throw AdapterError.malformedResponse("Shiprocket adhoc order answer without order_id/shipment_id: \(CourierField.keys(order))")
        }
        let rates = try await ShiprocketRates.fetch(client, query: [("order_id", String(orderID))])
        var awb = CourierField.text(order["awb_code"])
        var offer: ShiprocketRates.Offer?
        if awb == nil {
            offer = try ShiprocketRates.choose(rates.offers, service: request.service, recommended: rates.recommended)
            awb = try await assignAWB(shipmentID: shipmentID, courierID: offer?.courierID)
        } else {
            // Resumed booking: the courier is already chosen.
            let courierID = CourierField.int(order["courier_company_id"])
            offer = rates.offers.first { $0.courierID == courierID }
        }
        guard let awb else { throw AdapterError.malformedResponse("Shiprocket assigned no AWB to shipment \(shipmentID)") }
        try await bestEffort("generatePickup") {
            _ = try await client.json(.POST, "/courier/generate/pickup", body: ["shipment_id": [.number(JSONNumber(shipmentID))]],
                                      operation: "generatePickup")
        }
        let label = try await generateLabel(shipmentID: shipmentID)
        try await bestEffort("generateManifest") {
            _ = try await client.json(.POST, "/manifests/generate", body: ["shipment_id": [.number(JSONNumber(shipmentID))]],
                                      operation: "generateManifest")
        }
        return CreatedShipment(awb: awb, labelURL: label, trackingURL: Shiprocket.trackingURL(awb: awb),
                               externalShipmentID: String(shipmentID), externalOrderID: String(orderID), charges: offer?.charge)
    }

    /// POST /courier/assign/awb; `awb_assign_status` 0 carries the reason in `response.data.awb_assign_error`.
    func assignAWB(shipmentID: Int, courierID: Int?) async throws -> String? {
        var body: JSONObject = ["shipment_id": .number(JSONNumber(shipmentID))]
        if let courierID { body["courier_id"] = .number(JSONNumber(courierID)) }
        let json = try await client.json(.POST, "/courier/assign/awb", body: .object(body), operation: "assignAwb")
        let data = json["response"]?["data"]
        guard CourierField.int(json["awb_assign_status"]) == 1, let awb = CourierField.text(data?["awb_code"]) else {
            let why = CourierField.text(data?["awb_assign_error"]) ?? CourierField.text(json["message"]) ?? "awb_assign_status \(CourierField.text(json["awb_assign_status"]) ?? "?")"
            throw AdapterError.upstream(status: 200, body: "Shiprocket assigned no AWB to shipment \(shipmentID): \(why.prefix(300))")
        }
        return awb
    }

    func generateLabel(shipmentID: Int) async throws -> String {
        let json = try await client.json(.POST, "/courier/generate/label", body: ["shipment_id": [.number(JSONNumber(shipmentID))]],
                                         operation: "generateLabel")
        guard CourierField.int(json["label_created"]) == 1, let url = CourierField.text(json["label_url"]) else {
            let why = CourierField.text(json["response"]) ?? CourierField.text(json["message"]) ?? "label_created 0"
            throw AdapterError.upstream(status: 200, body: "Shiprocket created no label for shipment \(shipmentID): \(why.prefix(300))")
        }
        return url
    }

    /// Runs a step whose failure must not undo the booking. A repeated call
    /// ("Already in Pickup Queue", "Manifest already generated") is success.
    func bestEffort(_ step: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch AdapterError.upstream(let status, let detail) where detail.lowercased().contains("already") {
            client.context.logger.debug("Shiprocket \(step): already done", metadata: ["status": "\(status)"])
        } catch {
            client.context.logger.warning("Shiprocket \(step) failed; the shipment is booked, redo the step in the Shiprocket panel",
                           metadata: ["error": "\(error)"])
        }
    }

    /// The pickup location name orders must carry: `settings.pickup_location`,
    /// else the registered location whose PIN is the pickup address's, else the only one.
    func pickupLocation(for address: Address) async throws -> String {
        if let configured = client.connection.settings["pickup_location"]?.stringValue, !configured.isEmpty { return configured }
        let json = try await client.json(.GET, "/settings/company/pickup", operation: "pickupLocations")
        let locations = json["data"]?["shipping_address"]?.arrayValue ?? []
        let named = locations.compactMap { entry -> (name: String, pin: String?)? in
            CourierField.text(entry["pickup_location"]).map { ($0, CourierField.text(entry["pin_code"])) }
        }
        if let match = named.first(where: { $0.pin == address.postalCode }) { return match.name }
        if named.count == 1, let only = named.first { return only.name }
        let known = named.map(\.name).joined(separator: ", ")
        throw AdapterError.upstream(status: 422, body: "no Shiprocket pickup location has PIN \(address.postalCode) (registered: \(known.isEmpty ? "none" : known)); set settings.pickup_location")
    }

    /// The adhoc order. The consignee goes into the billing fields with
    /// `shipping_is_billing`; COD collects exactly `codAmount` (sent as
    /// `sub_total`, no extra charges), prepaid declares the order total.
    static func orderPayload(_ r: ShipmentRequest, pickupLocation: String) throws(AdapterError) -> JSON {
        let to = r.order.shippingAddress
        let name = (to.name.isEmpty ? r.order.customerName : to.name).split(separator: " ", maxSplits: 1).map(String.init)
        guard let phone = CourierField.phone(to.phone ?? r.order.customerPhone) else {
            throw AdapterError.upstream(status: 422, body: "the consignee has no phone number; Shiprocket requires one")
        }
        guard let email = to.email ?? r.order.customerEmail ?? r.order.billingAddress?.email ?? r.pickupAddress.email else {
            throw AdapterError.upstream(status: 422, body: "no e-mail address for the consignee or the pickup address; Shiprocket requires one")
        }
        let cod = r.codAmount.flatMap { $0.isZero ? nil : $0 }
        var items: [JSON] = r.order.items.enumerated().map { index, item in
            [
                "name": .string(item.name.isEmpty ? "Item \(index + 1)" : item.name),
                "sku": .string(item.sku ?? item.externalVariantId ?? item.externalProductId ?? "\(r.shipmentNumber)-\(index + 1)"),
                "units": .number(JSONNumber(max(1, item.quantity))),
                "selling_price": CourierField.number(item.unitPrice),
                "discount": CourierField.number(item.discountAmount),
                "tax": CourierField.number(item.taxAmount),
                "hsn": .string(item.metadata["hsn"]?.stringValue ?? ""),
            ]
        }
        if items.isEmpty {
            items = [["name": .string("Order \(r.order.orderNumber)"), "sku": .string(r.shipmentNumber), "units": 1,
                      "selling_price": CourierField.number(cod ?? r.order.totalAmount)]]
        }
        let dims = r.dimensionsCM ?? (length: 10, width: 10, height: 10)
        let line2 = [to.line2, to.landmark].compactMap { $0 }.joined(separator: ", ")
        let payload: JSONObject = [
            "order_id": .string(r.shipmentNumber),
            "order_date": .string(SRField.istDateTime(r.order.orderDate)),
            "pickup_location": .string(pickupLocation),
            "billing_customer_name": .string(name.first ?? r.order.customerName),
            "billing_last_name": .string(name.count > 1 ? name[1] : ""),
            "billing_address": .string(to.line1),
            "billing_address_2": .string(line2),
            "billing_city": .string(to.city),
            "billing_pincode": .string(to.postalCode),
            "billing_state": .string(to.state),
            "billing_country": .string(to.country == "IN" ? "India" : to.country),
            "billing_email": .string(email),
            "billing_phone": .string(phone),
            "shipping_is_billing": true,
            "order_items": .array(items),
            "payment_method": .string(cod == nil ? "Prepaid" : "COD"),
            "sub_total": CourierField.number(cod ?? r.order.totalAmount),
            "length": .number(JSONNumber(max(1, dims.length))),
            "breadth": .number(JSONNumber(max(1, dims.width))),
            "height": .number(JSONNumber(max(1, dims.height))),
            "weight": CourierField.number(SRField.kilograms(grams: r.weightGrams)),
        ]
        return .object(payload)
    }
}
