import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Delhivery B2C (Express) API with its static `Authorization: Token`.
///
/// Endpoints: GET /c/api/pin-codes/json/; GET /api/kinko/v1/invoice/charges/.json;
/// POST /api/cmu/create.json; GET /api/p/packing_slip; POST /fm/request/new/;
/// POST /api/p/edit (cancel, address/phone edits); GET /api/v1/packages/json/
/// (≤ 50 waybills per call); POST /api/p/update (asynchronous NDR actions) and
/// GET /api/cmu/get_bulk_upl/{id} (their outcome). Scan Push webhooks carry
/// a static value in `Authorization` (manifest `webhook`).
public struct Delhivery: CourierAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    /// Waybills per tracking call, Delhivery's documented maximum.
    public static let trackBatchSize = 50

    let context: AdapterContext
    /// Made once per adapter: the table's indexes are built when it is made.
    let statusMap: DelhiveryStatusMap

    public init(context: AdapterContext) {
        self.context = context
        self.statusMap = DelhiveryStatusMap(manifest: context.manifest)
    }

    func client(_ connection: Connection) throws(AdapterError) -> DelhiveryClient {
        try DelhiveryClient(context: context, connection: connection)
    }

    public static func trackingURL(awb: String) -> String {
        "https://www.delhivery.com/track/package/" + URLQuery.escape(awb)
    }

    /// A pin-code lookup: the token is accepted (401 otherwise).
    public func testConnection(_ connection: Connection) async throws {
        let client = try client(connection)
        let json = try await DelhiveryRates.pinCodes(client, ["110001"])
        guard json["delivery_codes"]?.arrayValue != nil else {
            throw AdapterError.malformedResponse("Delhivery pin-codes answer without delivery_codes: \(CourierField.keys(json))")
        }
    }

    public func serviceability(_ connection: Connection, _ query: RateQuery) async throws -> [RateQuote] {
        try await DelhiveryRates.quotes(client(connection), query)
    }

    public func createShipment(_ connection: Connection, _ request: ShipmentRequest) async throws -> CreatedShipment {
        try await DelhiveryBooking(client: client(connection)).create(request)
    }

    /// `POST /api/p/edit {"waybill", "cancellation": "true"}`. Before pickup the
    /// package is cancelled; after it Delhivery turns it into a return (RT).
    public func cancelShipment(_ connection: Connection, awb: String) async throws {
        try await edit(client(connection), ["waybill": .string(awb), "cancellation": "true"], what: "cancel")
    }

    /// Waybills in batches of 50 per call, paced by the manifest's `track` limit.
    public func track(_ connection: Connection, awbs: [String]) async throws -> [TrackingEvent] {
        let client = try client(connection)
        var seen: Set<String> = []
        let unique = awbs.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
        var events: [TrackingEvent] = []
        for start in stride(from: 0, to: unique.count, by: Self.trackBatchSize) {
            let batch = unique[start..<min(start + Self.trackBatchSize, unique.count)]
            let json = try await client.get("/api/v1/packages/json/", query: [("waybill", batch.joined(separator: ","))], operation: "track")
            // {"Error": "No such waybill or Order Id found"}: none of the batch is known yet.
            guard json["ShipmentData"] != nil else {
                context.logger.debug("Delhivery knows none of a tracking batch", metadata: ["count": "\(batch.count)"])
                continue
            }
            events += try DelhiveryTracking.normalize(json, map: statusMap)
        }
        return events
    }

    public func normalizeTracking(_ payload: JSON) throws -> [TrackingEvent] {
        try DelhiveryTracking.normalize(payload, map: statusMap)
    }

    /// `normalizeTracking` without an adapter instance (CLI, benchmarks).
    public static func normalize(_ payload: JSON) throws -> [TrackingEvent] {
        let manifest = try AdapterManifest(bytes: manifestJSON)
        return try DelhiveryTracking.normalize(payload, map: DelhiveryStatusMap(manifest: manifest))
    }

    /// - reattempt: `POST /api/p/update` act RE-ATTEMPT, or DEFER_DLV with a date
    ///   (asynchronous: Delhivery answers a request id, logged, and its outcome
    ///   is checked once: an immediate refusal is thrown);
    /// - change_address / change_phone: `POST /api/p/edit` (allowed while Pending);
    /// - rto: cancellation of the in-transit package, which Delhivery returns.
    public func ndrAction(_ connection: Connection, _ action: NDRActionRequest) async throws {
        let client = try client(connection)
        switch action.action {
        case .reattempt:
            var item: JSONObject = ["waybill": .string(action.awb), "act": "RE-ATTEMPT"]
            if let date = action.reattemptDate {
                item["act"] = "DEFER_DLV"
                item["action_data"] = ["deferred_date": .string(date.description)]
            }
            try await DelhiveryNDR(client: client).submit(item, awb: action.awb)
        case .changeAddress:
            guard let address = action.newAddress else {
                throw AdapterError.upstream(status: 422, body: "change_address needs the new address")
            }
            let text = [address.line1, address.line2, address.landmark.map { "Landmark: " + $0 }, address.city]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            var body: JSONObject = ["waybill": .string(action.awb), "add": .string(text)]
            if !address.name.isEmpty { body["name"] = .string(address.name) }
            if let phone = CourierField.phone(address.phone) { body["phone"] = .string(phone) }
            try await edit(client, body, what: "address change")
        case .changePhone:
            guard let phone = CourierField.phone(action.newPhone) else {
                throw AdapterError.upstream(status: 422, body: "change_phone needs a valid new phone number")
            }
            try await edit(client, ["waybill": .string(action.awb), "phone": .string(phone)], what: "phone change")
        case .rto:
            try await edit(client, ["waybill": .string(action.awb), "cancellation": "true"], what: "return to origin")
        case .call, .whatsapp, .sms, .email, .reattemptRequest:
            throw AdapterError.unsupported(adapter: "Delhivery", capability: "ndr action \(action.action.rawValue)")
        }
    }

    /// `/api/p/edit` answers 200 with `"status": false` and a remark when it refuses.
    func edit(_ client: DelhiveryClient, _ body: JSONObject, what: String) async throws {
        let json = try await client.post("/api/p/edit", json: .object(body), operation: "editShipment")
        guard json["status"]?.boolValue ?? (CourierField.text(json["status"])?.lowercased() == "true") else {
            let why = CourierField.text(json["remark"]) ?? CourierField.text(json["error"]) ?? CourierField.keys(json)
            throw AdapterError.upstream(status: 200, body: "Delhivery refused the \(what) of \(CourierField.text(body["waybill"]) ?? "?"): \(why.prefix(300))")
        }
    }
}
