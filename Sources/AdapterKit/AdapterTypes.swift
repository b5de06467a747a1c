import Foundation
import GatewayModel
import JSONCore

/// A tenant's connection to a provider as adapters see it: credentials
/// already decrypted and validated. Adapters never touch the database.
public struct Connection: Sendable {
    public var id: UUID
    public var tenant: String
    public var adapterCode: String
    public var credentials: JSON
    public var settings: JSON
    /// `sales_channels.webhook_secret` (channels).
    public var webhookSecret: String?

    public init(id: UUID, tenant: String, adapterCode: String, credentials: JSON, settings: JSON = .object(JSONObject()), webhookSecret: String? = nil) {
        self.id = id
        self.tenant = tenant
        self.adapterCode = adapterCode
        self.credentials = credentials
        self.settings = settings
        self.webhookSecret = webhookSecret
    }
}

/// Where an incremental pull stands: opaque to the engine, meaningful to the
/// adapter (an updated-at watermark, a page token, or both).
///
/// A pull is a run of pages: while `pageToken` is set the pull is under way,
/// `watermark` stays where the pull started and `pendingWatermark` collects
/// the high-water mark seen so far; the last page moves it into `watermark`.
/// Fields added later are optional, so cursors stored earlier still decode.
public struct SyncCursor: Sendable, Codable, Equatable {
    public var watermark: Date?
    public var pageToken: String?
    /// Where `watermark` moves once the current pull completes (max updated-at
    /// seen, or the provider's own upper bound such as SP-API `LastUpdatedBefore`).
    public var pendingWatermark: Date?

    public init(watermark: Date? = nil, pageToken: String? = nil, pendingWatermark: Date? = nil) {
        self.watermark = watermark
        self.pageToken = pageToken
        self.pendingWatermark = pendingWatermark
    }
}

public struct OrderPage: Sendable {
    public var orders: [UnifiedOrder]
    /// The cursor to store with these orders. On the last page (`complete`) it
    /// holds the new watermark for the next pull.
    public var next: SyncCursor?
    public var complete: Bool

    public init(orders: [UnifiedOrder], next: SyncCursor?, complete: Bool) {
        self.orders = orders
        self.next = next
        self.complete = complete
    }
}

/// An inbound webhook as received: raw bytes (signatures cover them) and headers.
public struct WebhookRequest: Sendable {
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(headers: [(name: String, value: String)], body: [UInt8]) {
        self.headers = headers
        self.body = body
    }

    /// Case-insensitive, first value.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }
}

public enum ChannelEvent: Sendable {
    case orderUpserted(UnifiedOrder)
    case ignored(topic: String)
}

public struct Fulfillment: Sendable {
    public var externalOrderID: String
    public var awb: String
    public var courierName: String
    public var trackingURL: String?
    /// external line item id -> quantity; empty = everything
    public var items: [String: Int]

    public init(externalOrderID: String, awb: String, courierName: String, trackingURL: String? = nil, items: [String: Int] = [:]) {
        self.externalOrderID = externalOrderID
        self.awb = awb
        self.courierName = courierName
        self.trackingURL = trackingURL
        self.items = items
    }
}

public struct RateQuery: Sendable {
    public var pickupPostalCode: String
    public var deliveryPostalCode: String
    public var weightGrams: Int
    public var codAmount: Money?
    public var declaredValue: Money

    public init(pickupPostalCode: String, deliveryPostalCode: String, weightGrams: Int, codAmount: Money?, declaredValue: Money) {
        self.pickupPostalCode = pickupPostalCode
        self.deliveryPostalCode = deliveryPostalCode
        self.weightGrams = weightGrams
        self.codAmount = codAmount
        self.declaredValue = declaredValue
    }
}

public struct RateQuote: Sendable, Equatable {
    public var courierCode: String
    public var service: String
    public var charge: Money
    public var estimatedDays: Int?
    public var codAvailable: Bool

    public init(courierCode: String, service: String, charge: Money, estimatedDays: Int?, codAvailable: Bool) {
        self.courierCode = courierCode
        self.service = service
        self.charge = charge
        self.estimatedDays = estimatedDays
        self.codAvailable = codAvailable
    }
}

public struct ShipmentRequest: Sendable {
    public var order: UnifiedOrder
    public var shipmentNumber: String
    public var pickupAddress: Address
    public var weightGrams: Int
    public var dimensionsCM: (length: Int, width: Int, height: Int)?
    public var codAmount: Money?
    public var service: String?

    public init(order: UnifiedOrder, shipmentNumber: String, pickupAddress: Address, weightGrams: Int,
                dimensionsCM: (length: Int, width: Int, height: Int)? = nil, codAmount: Money?, service: String? = nil) {
        self.order = order
        self.shipmentNumber = shipmentNumber
        self.pickupAddress = pickupAddress
        self.weightGrams = weightGrams
        self.dimensionsCM = dimensionsCM
        self.codAmount = codAmount
        self.service = service
    }
}

public struct CreatedShipment: Sendable, Equatable {
    public var awb: String
    public var labelURL: String?
    public var trackingURL: String?
    public var externalShipmentID: String?
    public var externalOrderID: String?
    public var charges: Money?

    public init(awb: String, labelURL: String?, trackingURL: String?, externalShipmentID: String?, externalOrderID: String?, charges: Money?) {
        self.awb = awb
        self.labelURL = labelURL
        self.trackingURL = trackingURL
        self.externalShipmentID = externalShipmentID
        self.externalOrderID = externalOrderID
        self.charges = charges
    }
}

public struct NDRActionRequest: Sendable {
    public var awb: String
    public var action: NDRActionType
    public var reattemptDate: CalendarDate?
    public var newAddress: Address?
    public var newPhone: String?
    public var remarks: String?

    public init(awb: String, action: NDRActionType, reattemptDate: CalendarDate? = nil, newAddress: Address? = nil, newPhone: String? = nil, remarks: String? = nil) {
        self.awb = awb
        self.action = action
        self.reattemptDate = reattemptDate
        self.newAddress = newAddress
        self.newPhone = newPhone
        self.remarks = remarks
    }
}
