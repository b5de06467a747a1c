import AdapterKit
import Foundation
import GatewayModel
import JSONCore

/// Shiprocket (apiv2.shiprocket.in/v1/external): an aggregator in front of
/// many courier companies. Credentials are an API user's email/password; the
/// login token is cached per connection (`ShiprocketTokenCache`).
///
/// Endpoints: POST /auth/login; GET /settings/company/pickup;
/// GET /courier/serviceability/; POST /orders/create/adhoc;
/// POST /courier/assign/awb; POST /courier/generate/pickup;
/// POST /courier/generate/label; POST /manifests/generate;
/// POST /orders/cancel (fallback POST /orders/cancel/shipment/awbs);
/// GET /courier/track/awb/{awb}; POST /ndr/{awb}/action. Tracking webhooks
/// carry a static token in `x-api-key` (manifest `webhook`).
public struct Shiprocket: CourierAdapter {
    public static var manifestJSON: [UInt8] { PackageResources.manifest_json }

    let context: AdapterContext
    let tokens: ShiprocketTokenCache
    /// Made once per adapter: the table's indexes are built when it is made.
    let statusMap: ShiprocketStatusMap

    public init(context: AdapterContext) {
        self.init(context: context, tokens: .shared)
    }

    /// With a private token cache (tests).
    init(context: AdapterContext, tokens: ShiprocketTokenCache) {
        self.context = context
        self.tokens = tokens
        self.statusMap = ShiprocketStatusMap(manifest: context.manifest)
    }

    func client(_ connection: Connection) throws(AdapterError) -> ShiprocketClient {
        try ShiprocketClient(context: context, connection: connection, cache: tokens)
    }

    public static func trackingURL(awb: String) -> String {
        "https://shiprocket.co/tracking/" + URLQuery.escape(awb)
    }

    /// Login plus the pickup-location list: the API user works and the account can book.
    public func testConnection(_ connection: Connection) async throws {
        let json = try await client(connection).json(.GET, "/settings/company/pickup", operation: "pickupLocations")
        guard json["data"]?.objectValue != nil else {
            throw AdapterError.malformedResponse("Shiprocket pickup locations answer without data")
        }
    }

    public func serviceability(_ connection: Connection, _ query: RateQuery) async throws -> [RateQuote] {
        let result = try await ShiprocketRates.fetch(client(connection), query: ShiprocketRates.query(query))
        return result.offers.map(ShiprocketRates.quote)
    }

    public func createShipment(_ connection: Connection, _ request: ShipmentRequest) async throws -> CreatedShipment {
        try await ShiprocketBooking(client: client(connection)).create(request)
    }

    /// Cancels the Shiprocket order behind the AWB (one order per shipment, so
    /// this is the shipment); without an order id, the AWB alone.
    public func cancelShipment(_ connection: Connection, awb: String) async throws {
        let client = try client(connection)
        let tracking = try await client.json(.GET, "/courier/track/awb/" + URLQuery.escape(awb), operation: "trackAwb")
        if let orderID = CourierField.int(tracking["tracking_data"]?["shipment_track"]?[0]?["order_id"]), orderID > 0 {
            _ = try await client.json(.POST, "/orders/cancel", body: ["ids": [.number(JSONNumber(orderID))]], operation: "cancelOrder")
        } else {
            _ = try await client.json(.POST, "/orders/cancel/shipment/awbs", body: ["awbs": [.string(awb)]], operation: "cancelAwb")
        }
    }

    /// One call per AWB (the manifest's rate limit paces them). An AWB without
    /// activity yet contributes nothing; a refused AWB is logged and skipped.
    public func track(_ connection: Connection, awbs: [String]) async throws -> [TrackingEvent] {
        let client = try client(connection)
        var events: [TrackingEvent] = []
        var seen: Set<String> = []
        for awb in awbs where seen.insert(awb).inserted && !awb.isEmpty {
            let json: JSON
            do {
                json = try await client.json(.GET, "/courier/track/awb/" + URLQuery.escape(awb), operation: "trackAwb")
            } catch AdapterError.upstream(let status, let body) where (400..<500).contains(status) {
                context.logger.warning("Shiprocket refused tracking for an AWB", metadata: ["awb": "\(awb)", "status": "\(status)", "body": "\(body)"])
                continue
            }
            guard let data = json["tracking_data"], !ShiprocketTracking.hasNoActivity(data) else { continue }
            let scans = try ShiprocketTracking.trackingScans(data, awb: awb)
            events += ShiprocketTracking.events(scans, map: statusMap)
        }
        return events
    }

    public func normalizeTracking(_ payload: JSON) throws -> [TrackingEvent] {
        try ShiprocketTracking.normalize(payload, map: statusMap)
    }

    /// `normalizeTracking` without an adapter instance (CLI, benchmarks).
    public static func normalize(_ payload: JSON) throws -> [TrackingEvent] {
        let manifest = try AdapterManifest(bytes: manifestJSON)
        return try ShiprocketTracking.normalize(payload, map: ShiprocketStatusMap(manifest: manifest))
    }

    /// POST /ndr/{awb}/action: re-attempt (optionally on a date, to a new
    /// address or phone) or return (RTO). `comments` is mandatory there.
    public func ndrAction(_ connection: Connection, _ action: NDRActionRequest) async throws {
        var body: JSONObject = [:]
        switch action.action {
        case .reattempt:
            body["action"] = "re-attempt"
            body["comments"] = .string(action.remarks ?? "Customer requested a re-attempt")
        case .changeAddress:
            guard let address = action.newAddress else {
                throw AdapterError.upstream(status: 422, body: "change_address needs the new address")
            }
            body["action"] = "re-attempt"
            body["address1"] = .string(address.line1)
            body["address2"] = .string([address.line2, address.landmark, address.city].compactMap { $0 }.joined(separator: ", "))
            body["comments"] = .string(action.remarks ?? "Re-attempt at the corrected address")
        case .changePhone:
            guard let phone = CourierField.phone(action.newPhone) else {
                throw AdapterError.upstream(status: 422, body: "change_phone needs a valid new phone number")
            }
            body["action"] = "re-attempt"
            body["phone"] = .string(phone)
            body["comments"] = .string(action.remarks ?? "Re-attempt with the corrected phone number")
        case .rto:
            body["action"] = "return"
            body["comments"] = .string(action.remarks ?? "Return to origin requested by the seller")
        case .call, .whatsapp, .sms, .email, .reattemptRequest:
            throw AdapterError.unsupported(adapter: "Shiprocket", capability: "ndr action \(action.action.rawValue)")
        }
        if let date = action.reattemptDate, action.action != .rto { body["deferred_date"] = .string(date.description) }
        _ = try await client(connection).json(.POST, "/ndr/" + URLQuery.escape(action.awb) + "/action", body: .object(body), operation: "ndrAction")
    }
}
