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

/// Where a queued (asynchronous) NDR request stands at the courier.
public enum NDRRequestState: Sendable, Equatable {
    /// Not decided yet (or the courier's status endpoint does not know it yet).
    case pending
    /// Carried out; the courier's remark, if any.
    case accepted(remark: String?)
    /// Refused after the fact (not eligible, attempts exhausted, ...): the reattempt will not happen.
    case rejected(remark: String)
}

/// A courier whose NDR actions are decided later and can be asked about
/// (Delhivery's UPL status): the engine follows queued actions up with it.
public protocol CourierNDRFollowingUp: CourierAdapter {
    func ndrRequestState(_ connection: Connection, requestID: String, awb: String) async throws -> NDRRequestState
}
