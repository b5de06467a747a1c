import Foundation

/// Optional courier capabilities beyond `CourierAdapter`; the engine checks
/// for them with `as?` so adapters that lack them keep working unchanged.

/// A courier that can produce a shipment's label again (the first link
/// expired or was never stored).
public protocol CourierLabelRegenerating: CourierAdapter {
    /// A fresh label URL for `awb`; `externalShipmentID` is the courier's own
    /// shipment id stored at booking (Shiprocket needs it).
    func regenerateLabel(_ connection: Connection, awb: String, externalShipmentID: String?) async throws -> String
}

/// What the courier answered to an NDR action.
public struct NDRActionReceipt: Sendable, Equatable {
    /// The courier's id of an asynchronous request (Delhivery's UPL id).
    public var requestID: String?
    /// True when the courier queued the action and decides later.
    public var asynchronous: Bool

    public init(requestID: String?, asynchronous: Bool) {
        self.requestID = requestID
        self.asynchronous = asynchronous
    }
}

/// A courier whose NDR actions return a receipt worth recording.
public protocol CourierNDRReceipting: CourierAdapter {
    func ndrActionWithReceipt(_ connection: Connection, _ action: NDRActionRequest) async throws -> NDRActionReceipt
}
