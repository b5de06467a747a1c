/// Delhivery's words for a journey step: StatusType (UD forward, DL delivered,
/// RT return, CN cancelled), Status, the NSL code (StatusCode / NSLCode) and the
/// instruction text, as adapters/delhivery/manifest.json maps them.
struct DelhiveryStatus: Sendable, Equatable {
    let statusType: String
    let status: String
    let code: String
    let instructions: String
}

enum DelhiveryVocabulary {
    static func status(for step: SimStep) -> DelhiveryStatus {
        switch step {
        case .booked: return DelhiveryStatus(statusType: "UD", status: "Manifested", code: "X-UCI", instructions: "Manifest uploaded")
        case .pickupScheduled: return DelhiveryStatus(statusType: "UD", status: "Manifested", code: "FMPUR-101", instructions: "Pickup scheduled")
        case .outForPickup: return DelhiveryStatus(statusType: "UD", status: "Manifested", code: "FMOFP-101", instructions: "Out for Pickup")
        case .pickedUp: return DelhiveryStatus(statusType: "UD", status: "In Transit", code: "X-PPOM", instructions: "Shipment picked up")
        case .originScan:
            return DelhiveryStatus(statusType: "UD", status: "In Transit", code: "X-PIOM", instructions: "Shipment Recieved at Origin Center")
        case .inTransit: return DelhiveryStatus(statusType: "UD", status: "In Transit", code: "X-ILL1F", instructions: "Bag Received at Facility")
        case .reachedDestination:
            return DelhiveryStatus(statusType: "UD", status: "Pending", code: "X-IBD3F", instructions: "Shipment Received at Facility")
        case .outForDelivery: return DelhiveryStatus(statusType: "UD", status: "Dispatched", code: "X-DDD3FD", instructions: "Out for delivery")
        case let .failedAttempt(_, reason):
            let (code, text) = nsl(reason)
            return DelhiveryStatus(statusType: "UD", status: "Pending", code: code, instructions: text)
        case .delivered: return DelhiveryStatus(statusType: "DL", status: "Delivered", code: "EOD-38", instructions: "Delivered to consignee")
        case let .rtoInitiated(client):
            return client
                ? DelhiveryStatus(statusType: "RT", status: "In Transit", code: "RT-101", instructions: "Returned as per Client Instructions")
                : DelhiveryStatus(statusType: "RT", status: "In Transit", code: "RT-108", instructions: "Maximum attempts reached - No client instruction to re-attempt")
        case .rtoInTransit: return DelhiveryStatus(statusType: "RT", status: "In Transit", code: "X-ILL1F", instructions: "Bag Received at Facility")
        case .rtoReachedOrigin:
            return DelhiveryStatus(statusType: "RT", status: "Pending", code: "X-IBD3F", instructions: "Shipment Received at Facility")
        case .rtoOutForDelivery: return DelhiveryStatus(statusType: "RT", status: "Dispatched", code: "X-DDD3FD", instructions: "Out for delivery")
        case .rtoDelivered: return DelhiveryStatus(statusType: "DL", status: "RTO", code: "RT-110", instructions: "RTO - Returned to shipper")
        case .cancelled: return DelhiveryStatus(statusType: "CN", status: "Canceled", code: "X-CAN", instructions: "Shipment cancelled by client")
        }
    }

    /// Attempt-failure NSL codes (all on the NDR API's RE-ATTEMPT list) and their texts.
    static func nsl(_ r: NDRReason) -> (String, String) {
        switch r {
        case .customerUnavailable: return ("EOD-11", "Consignee Unavailable")
        case .incompleteAddress: return ("EOD-74", "Bad/Incomplete Address")
        case .wrongAddress: return ("EOD-15", "Consignee moved/shifted")
        case .refused: return ("EOD-6", "Consignee refused to accept/order cancelled")
        case .codNotReady: return ("EOD-16", "Payment not ready with customer")
        }
    }

    /// Codes the NDR API accepts RE-ATTEMPT for (Delhivery's documented list).
    static let reattemptEligible: Set<String> = ["EOD-74", "EOD-15", "EOD-104", "EOD-43", "EOD-86", "EOD-11", "EOD-16", "EOD-69", "EOD-6", "ST-108"]
    static let deferEligible: Set<String> = ["EOD-74", "EOD-15", "EOD-11", "EOD-3", "EOD-16", "EOD-6", "ST-108"]

    /// "Delhi_DLEIndustrialArea_D (Delhi)".
    static func location(_ l: SimLocation) -> String { l.facility + " (" + l.state + ")" }

    /// The one rendering of a scan time, shared by tracking and scan push so
    /// (AWB, StatusDateTime, NSLCode) dedupes across both.
    static func time(_ e: SimEvent) -> String {
        var h: UInt64 = 1469598103934665603
        for b in e.awb.utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        return CourierTime.isoLocalMillis(e.at, salt: h ^ UInt64(e.sequence))
    }
}
