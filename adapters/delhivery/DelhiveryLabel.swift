import AdapterKit
import Foundation
import GatewayModel
import JSONCore

extension Delhivery: CourierLabelRegenerating, CourierNDRReceipting, CourierNDRFollowingUp {
    /// The packing slip (`GET /api/p/packing_slip?pdf=true`) of the waybill.
    public func regenerateLabel(_ connection: Connection, awb: String, externalShipmentID: String?) async throws -> String {
        try await DelhiveryBooking(client: client(connection)).label(awb)
    }

    /// Re-attempts go through Delhivery's asynchronous `/api/p/update`: the
    /// receipt carries its request (UPL) id, and is asynchronous while Delhivery
    /// has not decided it yet. Edits and RTO are synchronous.
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
        let (id, state) = try await DelhiveryNDR(client: client(connection)).submit(item, awb: action.awb)
        return NDRActionReceipt(requestID: id, asynchronous: state == .pending)
    }

    /// How a queued re-attempt (a UPL request) went.
    public func ndrRequestState(_ connection: Connection, requestID: String, awb: String) async throws -> NDRRequestState {
        try await DelhiveryNDR(client: client(connection)).state(requestID: requestID, awb: awb)
    }
}
