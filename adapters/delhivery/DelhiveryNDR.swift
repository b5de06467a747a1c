import AdapterKit
import Foundation
import JSONCore

/// Delhivery's asynchronous NDR API: `POST /api/p/update {"data": [{waybill, act, action_data?}]}`
/// answers a request (UPL) id at once; `GET /api/cmu/get_bulk_upl/{id}` tells
/// later how each waybill went.
struct DelhiveryNDR {
    let client: DelhiveryClient

    /// Submits one action; returns its request id and where it stands. The
    /// outcome is looked up once: an outright refusal (code not eligible,
    /// attempts exhausted) is thrown; pending or unknown leaves the action in
    /// Delhivery's queue, for the engine's follow-up (`ndr_followup` job).
    @discardableResult
    func submit(_ item: JSONObject, awb: String) async throws -> (requestID: String, state: NDRRequestState) {
        let answer = try await client.post("/api/p/update", json: ["data": [.object(item)]], operation: "ndrUpdate")
        let act = CourierField.text(item["act"]) ?? "?"
        guard let requestID = CourierField.text(answer["request_id"]) ?? CourierField.text(answer["upl"]) else {
            let why = CourierField.text(answer["error"]) ?? CourierField.text(answer["message"]) ?? CourierField.keys(answer)
            throw AdapterError.upstream(status: 200, body: "Delhivery accepted no \(act) for \(awb): \(why.prefix(300))")
        }
        client.context.logger.info("Delhivery NDR action queued",
                                   metadata: ["awb": "\(awb)", "act": "\(act)", "request_id": "\(requestID)"])
        let state: NDRRequestState
        do {
            state = try await self.state(requestID: requestID, awb: awb)
        } catch let error as AdapterError {
            if case .authenticationFailed = error { throw error }
            // The action is queued either way; its status endpoint may lag or be unavailable.
            client.context.logger.debug("Delhivery NDR status not available yet", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            return (requestID, .pending)
        }
        if case .rejected(let why) = state {
            throw AdapterError.upstream(status: 200, body: "Delhivery refused \(act) for \(awb) (request \(requestID)): \(why.prefix(300))")
        }
        return (requestID, state)
    }

    /// `GET /api/cmu/get_bulk_upl/{id}?verbose=true`: the waybill's line of the
    /// request's result, `Success`/`Failure` once processed; no line (or a
    /// request still "In Progress") is pending.
    func state(requestID: String, awb: String) async throws -> NDRRequestState {
        let outcome = try await client.get("/api/cmu/get_bulk_upl/" + URLQuery.escape(requestID), query: [("verbose", "true")],
                                           operation: "ndrStatus")
        guard let result = outcome["result"]?.arrayValue?.first(where: { CourierField.text($0["waybill"]) == awb }) else { return .pending }
        let remark = CourierField.text(result["remark"])
        switch CourierField.text(result["status"])?.lowercased() {
        case "success": return .accepted(remark: remark)
        case "failure": return .rejected(remark: remark ?? "no remark")
        default: return .pending
        }
    }
}
