import AdapterKit
import Foundation

extension Shiprocket: CourierLabelRegenerating {
    /// POST /courier/generate/label for the Shiprocket shipment id stored at booking.
    public func regenerateLabel(_ connection: Connection, awb: String, externalShipmentID: String?) async throws -> String {
        guard let id = externalShipmentID.flatMap({ Int($0) }) else {
            throw AdapterError.unsupported(adapter: "Shiprocket", capability: "label without the Shiprocket shipment id of \(awb)")
        }
        return try await ShiprocketBooking(client: client(connection)).generateLabel(shipmentID: id)
    }
}
