import Foundation

/// Shiprocket's words for a journey step.
///
/// Two code spaces: the shipment status id (`shipment_status_id`, scan
/// `sr-status`, tracking `shipment_status`), which adapters/shiprocket/manifest.json
/// maps, and the order status id that webhooks carry in `current_status_id`
/// (20 = IN TRANSIT there, as in Shiprocket's own sample where shipment_status_id is 18).
struct ShiprocketStatus: Sendable, Equatable {
    let shipmentStatusID: Int
    let label: String
    let orderStatusID: Int
    let orderStatus: String
    /// The courier's own scan code and text (scan `status` / `activity`).
    let courierCode: String
    let activity: String
    /// Title-case text of tracking `shipment_track[].current_status`.
    let trackText: String
}

enum ShiprocketVocabulary {
    static func status(for step: SimStep, family: ShiprocketCourier.Family) -> ShiprocketStatus {
        let d = family == .delhivery
        switch step {
        case .booked:
            return ShiprocketStatus(shipmentStatusID: 1, label: "AWB ASSIGNED", orderStatusID: 3, orderStatus: "READY TO SHIP",
                                    courierCode: d ? "X-UCI" : "DRC", activity: d ? "Manifested - Manifest uploaded" : "Pending Manifest Data Received",
                                    trackText: "AWB Assigned")
        case .pickupScheduled:
            return ShiprocketStatus(shipmentStatusID: 3, label: "PICKUP SCHEDULED", orderStatusID: 4, orderStatus: "PICKUP SCHEDULED",
                                    courierCode: d ? "FMPUR-101" : "PSH", activity: d ? "Manifested - Pickup scheduled" : "Pickup Scheduled",
                                    trackText: "Pickup Scheduled")
        case .outForPickup:
            return ShiprocketStatus(shipmentStatusID: 19, label: "OUT FOR PICKUP", orderStatusID: 34, orderStatus: "OUT FOR PICKUP",
                                    courierCode: d ? "FMOFP-101" : "OFP", activity: d ? "Manifested - Out for Pickup" : "Out for Pickup",
                                    trackText: "Out For Pickup")
        case .pickedUp:
            return ShiprocketStatus(shipmentStatusID: 42, label: "PICKED UP", orderStatusID: 51, orderStatus: "PICKED UP",
                                    courierCode: d ? "X-PPOM" : "PUD", activity: d ? "In Transit - Shipment picked up" : "PickDone",
                                    trackText: "Picked Up")
        case .originScan:
            return ShiprocketStatus(shipmentStatusID: 6, label: "SHIPPED", orderStatusID: 6, orderStatus: "SHIPPED",
                                    courierCode: d ? "X-PIOM" : "PKD",
                                    activity: d ? "In Transit - Shipment Recieved at Origin Center" : "Picked Shipment InScan from Manifest",
                                    trackText: "Shipped")
        case .inTransit:
            return ShiprocketStatus(shipmentStatusID: 18, label: "IN TRANSIT", orderStatusID: 20, orderStatus: "IN TRANSIT",
                                    courierCode: d ? "X-ILL2F" : "IT", activity: d ? "In Transit - Trip Arrived" : "InTransit Shipment added in Bag",
                                    trackText: "In Transit")
        case .reachedDestination:
            return ShiprocketStatus(shipmentStatusID: 38, label: "REACHED AT DESTINATION HUB", orderStatusID: 43, orderStatus: "REACHED DESTINATION HUB",
                                    courierCode: d ? "X-IBD3F" : "RAD", activity: d ? "Pending - Shipment Received at Facility" : "Reached at Destination",
                                    trackText: "Reached at Destination Hub")
        case .outForDelivery:
            return ShiprocketStatus(shipmentStatusID: 17, label: "OUT FOR DELIVERY", orderStatusID: 19, orderStatus: "OUT FOR DELIVERY",
                                    courierCode: d ? "X-DDD3FD" : "OFD", activity: d ? "Dispatched - Out for delivery" : "Out for Delivery",
                                    trackText: "Out For Delivery")
        case let .failedAttempt(_, reason):
            return ShiprocketStatus(shipmentStatusID: 21, label: "UNDELIVERED", orderStatusID: 36, orderStatus: "UNDELIVERED",
                                    courierCode: d ? delhiveryNSL(reason) : "UD", activity: (d ? "Pending - " : "Undelivered - ") + reasonText(reason),
                                    trackText: "Undelivered")
        case .delivered:
            return ShiprocketStatus(shipmentStatusID: 7, label: "DELIVERED", orderStatusID: 7, orderStatus: "DELIVERED",
                                    courierCode: d ? "EOD-38" : "DLVD", activity: d ? "Delivered - Delivered to consignee" : "Delivered",
                                    trackText: "Delivered")
        case let .rtoInitiated(client):
            let text = client ? "Returned as per Client Instructions" : "Maximum attempts reached - RTO initiated"
            return ShiprocketStatus(shipmentStatusID: 9, label: "RTO INITIATED", orderStatusID: 15, orderStatus: "RTO INITIATED",
                                    courierCode: d ? (client ? "RT-101" : "RT-108") : "RTO", activity: (d ? "In Transit - " : "RTO Initiated - ") + text,
                                    trackText: "RTO Initiated")
        case .rtoInTransit, .rtoReachedOrigin:
            return ShiprocketStatus(shipmentStatusID: 46, label: "RTO IN TRANSIT", orderStatusID: 55, orderStatus: "RTO IN TRANSIT",
                                    courierCode: d ? "X-ILL2F" : "RTO-IT", activity: d ? "In Transit - Trip Arrived" : "RTO In Transit",
                                    trackText: "RTO In Transit")
        case .rtoOutForDelivery:
            return ShiprocketStatus(shipmentStatusID: 41, label: "RTO OFD", orderStatusID: 45, orderStatus: "RTO OFD",
                                    courierCode: d ? "X-DDD3FD" : "RTO-OFD", activity: d ? "Dispatched - Out for delivery" : "RTO Out for Delivery",
                                    trackText: "RTO OFD")
        case .rtoDelivered:
            return ShiprocketStatus(shipmentStatusID: 10, label: "RTO DELIVERED", orderStatusID: 16, orderStatus: "RTO DELIVERED",
                                    courierCode: d ? "RT-110" : "RTD", activity: d ? "RTO - Returned to shipper" : "RTO Delivered",
                                    trackText: "RTO Delivered")
        case .cancelled:
            return ShiprocketStatus(shipmentStatusID: 8, label: "CANCELED", orderStatusID: 5, orderStatus: "CANCELED",
                                    courierCode: "CAN", activity: "Shipment Cancelled", trackText: "Canceled")
        }
    }

    /// Remarks a courier writes for a failed attempt; each hits one entry of the
    /// manifest's ndr_reason_map (and none of the earlier ones).
    static func reasonText(_ r: NDRReason) -> String {
        switch r {
        case .customerUnavailable: return "Customer not available at the address"
        case .incompleteAddress: return "Address incomplete - landmark missing"
        case .wrongAddress: return "Wrong address - customer shifted"
        case .refused: return "Customer refused to accept the shipment"
        case .codNotReady: return "COD amount not ready with customer"
        }
    }

    static func delhiveryNSL(_ r: NDRReason) -> String {
        switch r {
        case .customerUnavailable: return "EOD-11"
        case .incompleteAddress: return "EOD-74"
        case .wrongAddress: return "EOD-15"
        case .refused: return "EOD-6"
        case .codNotReady: return "EOD-16"
        }
    }

    /// "BLR/FC1, Bengaluru, KARNATAKA"-style location of a scan.
    static func location(_ l: SimLocation, family: ShiprocketCourier.Family) -> String {
        switch family {
        case .delhivery: return l.facility + " (" + l.state + ")"
        default: return l.facility.replacingOccurrences(of: "_", with: " ") + ", " + l.city + ", " + l.state.uppercased()
        }
    }
}
