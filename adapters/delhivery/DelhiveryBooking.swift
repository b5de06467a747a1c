import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Booking = `POST /api/cmu/create.json` (waybill) -> `GET /api/p/packing_slip`
/// (label) -> `POST /fm/request/new/` (pickup, best effort).
///
/// Retry-safe: Delhivery refuses a second package with the same order id
/// ("Duplicate order id"), so a repeated booking looks the first one up by
/// `ref_ids` and continues with its waybill. A pickup request is per
/// warehouse and day; an open one for the day is success.
struct DelhiveryBooking {
    let client: DelhiveryClient

    func create(_ request: ShipmentRequest) async throws -> CreatedShipment {
        let warehouse = try client.requirePickupLocation()
        let payload = try Self.payload(request, warehouse: warehouse)
        let answer = try await client.postForm("/api/cmu/create.json", data: payload, operation: "createShipment", idempotent: true)
        let (waybill, upload) = try await waybill(from: answer, order: request.shipmentNumber, warehouse: warehouse)
        let label = try await label(waybill)
        try await requestPickup(warehouse: warehouse)
        return CreatedShipment(awb: waybill, labelURL: label, trackingURL: Delhivery.trackingURL(awb: waybill),
                               externalShipmentID: upload, externalOrderID: request.shipmentNumber, charges: nil)
    }

    func waybill(from answer: JSON, order: String, warehouse: String) async throws -> (String, String?) {
        let upload = CourierField.text(answer["upload_wbn"])
        let package = answer["packages"]?[0]
        if let package, CourierField.text(package["status"])?.lowercased() == "success", let waybill = CourierField.text(package["waybill"]) {
            return (waybill, upload)
        }
        let remarks = package.map(Self.remarks) ?? CourierField.text(answer["rmk"]) ?? "no remarks"
        if remarks.localizedCaseInsensitiveContains("duplicate") {
            if let existing = try await existingWaybill(order: order) { return (existing, nil) }
        }
        if remarks.contains("ClientWarehouse matching query does not exist") {
            throw AdapterError.invalidCredentials(code: "delhivery", errors: [
                CredentialProblem(pointer: "/pickup_location", message: "Delhivery has no warehouse named '\(warehouse)' (the name is case- and space-sensitive)"),
            ])
        }
        throw AdapterError.upstream(status: 200, body: "Delhivery created no package for order \(order): \(remarks.prefix(300))")
    }

    static func remarks(_ package: JSON) -> String {
        let list = package["remarks"]?.arrayValue?.compactMap { CourierField.text($0) } ?? CourierField.text(package["remarks"]).map { [$0] } ?? []
        return list.isEmpty ? (CourierField.text(package["status"]) ?? "no remarks") : list.joined(separator: "; ")
    }

    /// The package an earlier attempt of this booking created.
    func existingWaybill(order: String) async throws -> String? {
        let json = try await client.get("/api/v1/packages/json/", query: [("ref_ids", order)], operation: "track")
        let shipments = json["ShipmentData"]?.arrayValue ?? []
        let match = shipments.first { CourierField.text($0["Shipment"]?["ReferenceNo"]) == order } ?? shipments.first
        return CourierField.text(match?["Shipment"]?["AWB"])
    }

    /// The PDF label link (`pdf=true`).
    func label(_ waybill: String) async throws -> String {
        let json = try await client.get("/api/p/packing_slip", query: [("wbns", waybill), ("pdf", "true")], operation: "label")
        let package = json["packages"]?.arrayValue?.first { CourierField.text($0["wbn"]) == waybill } ?? json["packages"]?[0]
        guard let link = CourierField.text(package?["pdf_download_link"]) else {
            throw AdapterError.upstream(status: 200, body: "Delhivery returned no label for waybill \(waybill) (packages_found \(CourierField.text(json["packages_found"]) ?? "0"))")
        }
        return link
    }

    /// Pickup for today at `settings.pickup_time` (default 14:00 IST), or
    /// tomorrow once that time has passed. Failure (cancellation aside) is
    /// logged, not thrown: the package exists and the pickup can be raised again.
    func requestPickup(warehouse: String, now: Date = Date()) async throws {
        let time = client.connection.settings["pickup_time"]?.stringValue ?? "14:00:00"
        let body: JSON = ["pickup_time": .string(time), "pickup_date": .string(Self.pickupDate(now: now, time: time).description),
                          "pickup_location": .string(warehouse), "expected_package_count": 1]
        do {
            _ = try await client.post("/fm/request/new/", json: body, operation: "pickupRequest")
        } catch is CancellationError {
            throw CancellationError()
        } catch AdapterError.upstream(_, let detail) where detail.contains("pr_exist") || detail.localizedCaseInsensitiveContains("already exists") {
            client.context.logger.debug("Delhivery pickup request already open for today", metadata: ["warehouse": "\(warehouse)"])
        } catch {
            client.context.logger.warning("Delhivery pickup request failed; the package is booked, raise the pickup again",
                                          metadata: ["warehouse": "\(warehouse)", "error": "\(error)"])
        }
    }

    static func pickupDate(now: Date, time: String) -> CalendarDate {
        let parts = time.split(separator: ":").compactMap { Int($0) }
        let slot = (parts.first ?? 14) * 3600 + (parts.count > 1 ? parts[1] * 60 : 0)
        let local = Int(now.timeIntervalSince1970) + CourierDates.ist.secondsFromGMT(for: now)
        let secondOfDay = ((local % 86_400) + 86_400) % 86_400
        let today = CourierDates.istDay(now)
        return secondOfDay < slot ? today : today.adding(days: 1)
    }

    /// One shipment of the create.json `data`; the consignee is the order's shipping address.
    static func payload(_ r: ShipmentRequest, warehouse: String) throws(AdapterError) -> JSON {
        let to = r.order.shippingAddress
        guard let phone = CourierField.phone(to.phone ?? r.order.customerPhone) else {
            throw AdapterError.upstream(status: 422, body: "the consignee has no phone number; Delhivery requires one")
        }
        let cod = r.codAmount.flatMap { $0.isZero ? nil : $0 }
        let quantity = max(1, r.order.items.reduce(0) { $0 + max(0, $1.quantity) })
        let description = r.order.items.map(\.name).filter { !$0.isEmpty }.joined(separator: ", ")
        let address = [to.line1, to.line2, to.landmark.map { "Landmark: " + $0 }].compactMap { $0 }.filter { !$0.isEmpty }
        let dims = r.dimensionsCM
        var shipment: JSONObject = [
            "name": .string(to.name.isEmpty ? r.order.customerName : to.name),
            "add": .string(address.joined(separator: ", ")),
            "pin": .string(to.postalCode),
            "city": .string(to.city),
            "state": .string(to.state),
            "country": .string(to.country == "IN" ? "India" : to.country),
            "phone": .string(phone),
            "order": .string(r.shipmentNumber),
            "payment_mode": .string(cod == nil ? "Prepaid" : "COD"),
            "cod_amount": CourierField.number(cod ?? .zero),
            "total_amount": CourierField.number(r.order.totalAmount),
            "products_desc": .string(description.isEmpty ? "Order \(r.order.orderNumber)" : String(description.prefix(200))),
            "quantity": .string(String(quantity)),
            "weight": .number(JSONNumber(max(1, r.weightGrams))),
            "shipping_mode": .string(DelhiveryRates.shippingMode(r.service)),
            "order_date": .string(DateCoding.format(r.order.orderDate)),
            "waybill": "",
            "seller_name": .string(r.pickupAddress.company ?? r.pickupAddress.name),
            "seller_add": .string([r.pickupAddress.line1, r.pickupAddress.city, r.pickupAddress.postalCode].filter { !$0.isEmpty }.joined(separator: ", ")),
            "hsn_code": .string(r.order.items.first?.metadata["hsn"]?.stringValue ?? ""),
            "address_type": "home",
        ]
        if let dims {
            shipment["shipment_length"] = .number(JSONNumber(dims.length))
            shipment["shipment_width"] = .number(JSONNumber(dims.width))
            shipment["shipment_height"] = .number(JSONNumber(dims.height))
        }
        if let email = to.email ?? r.order.customerEmail { shipment["email"] = .string(email) }
        return ["shipments": [.object(shipment)], "pickup_location": ["name": .string(warehouse)]]
    }
}
