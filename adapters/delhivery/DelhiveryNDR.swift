import AdapterKit
import Foundation
import JSONCore

/// Delhivery's asynchronous NDR API: `POST /api/p/update {"data": [{waybill, act, action_data?}]}`
/// answers a request (UPL) id at once; `GET /api/cmu/get_bulk_upl/{id}` tells
/// later how each waybill went.
struct DelhiveryNDR {
    let client: DelhiveryClient

    /// Submits one action and returns its request id. The outcome is looked up
    /// once: an outright refusal (code not eligible, attempts exhausted) is
    /// thrown; pending or unknown leaves the action in Delhivery's queue.
    @discardableResult
    func submit(_ item: JSONObject, awb: String) async throws -> String? {
        let answer = try await client.post("/api/p/update", json: ["data": [.object(item)]], operation: "ndrUpdate")
        let act = CourierField.text(item["act"]) ?? "?"
        guard let requestID = CourierField.text(answer["request_id"]) ?? CourierField.text(answer["upl"]) else {
            let why = CourierField.text(answer["error"]) ?? CourierField.text(answer["message"]) ?? CourierField.keys(answer)
            throw AdapterError.upstream(status: 200, body: "Delhivery accepted no \(act) for \(awb): \(why.prefix(300))")
        }
        client.context.logger.info("Delhivery NDR action queued",
                                   metadata: ["awb": "\(awb)", "act": "\(act)", "request_id": "\(requestID)"])
        let outcome: JSON
        do {
            outcome = try await client.get("/api/cmu/get_bulk_upl/" + URLQuery.escape(requestID), query: [("verbose", "true")],
                                           operation: "ndrStatus")
        } catch let error as AdapterError {
            if case .authenticationFailed = error { throw error }
            // The action is queued either way; its status endpoint may lag or be unavailable.
            client.context.logger.debug("Delhivery NDR status not available yet", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            return requestID
        }
        let result = outcome["result"]?.arrayValue?.first { CourierField.text($0["waybill"]) == awb }
        if let result, CourierField.text(result["status"])?.lowercased() == "failure" {
            let why = CourierField.text(result["remark"]) ?? "no remark"
            throw AdapterError.upstream(status: 200, body: "Delhivery refused \(act) for \(awb) (request \(requestID)): \(why.prefix(300))")
        }
        return requestID
    }
}
