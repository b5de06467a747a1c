import AdapterKit
import Foundation
import GatewayModel
import JSONCore

extension Delhivery: CourierLabelRegenerating, CourierNDRReceipting {
    /// The packing slip (`GET /api/p/packing_slip?pdf=true`) of the waybill.
    public func regenerateLabel(_ connection: Connection, awb: String, externalShipmentID: String?) async throws -> String {
        try await DelhiveryBooking(client: client(connection)).label(awb)
    }

    /// Re-attempts go through Delhivery's asynchronous `/api/p/update`: the
    /// receipt carries its request (UPL) id. Edits and RTO are synchronous.
    public func ndrActionWithReceipt(_ connection: Connection, _ action: NDRActionRequest) async throws -> NDRActionReceipt {
        guard action.action == .reattempt else {
            try await ndrAction(connection, action)
            return NDRActionReceipt(requestID: nil, asynchronous: false)
        }
        var item: JSONObject = ["waybill": .string(action.awb), "act": "RE-ATTEMPT"]
        if let date = action.reattemptDate {
            item["act"] = "DEFER_DLV"
            item["action_data"] = ["deferred_date": .string(date.description)]
        }
        let id = try await DelhiveryNDR(client: client(connection)).submit(item, awb: action.awb)
        return NDRActionReceipt(requestID: id, asynchronous: true)
    }
}
