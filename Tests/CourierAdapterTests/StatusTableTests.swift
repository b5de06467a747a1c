import AdapterKit
import DelhiveryAdapter
import Foundation
import GatewayModel
import JSONCore
import ShiprocketAdapter
import Testing

/// Every status_map row of both manifests, end to end through `normalizeTracking`.
@Suite("Courier status tables")
struct StatusTableTests {
    let shiprocket = Adapters.shiprocket()
    let delhivery = Adapters.delhivery()

    static func srHook(_ id: Int?, label: String? = nil, scans: [JSON] = []) -> JSON {
        var hook: JSONObject = ["awb": "SR-TEST-1", "current_timestamp": "15 01 2026 10:00:00", "scans": .array(scans)]
        if let id { hook["shipment_status_id"] = .number(JSONNumber(id)) }
        if let label { hook["shipment_status"] = .string(label) }
        return .object(hook)
    }

    static func srScan(_ id: String, at time: String, label: String = "", activity: String = "scan") -> JSON {
        ["date": .string(time), "status": "X", "activity": .string(activity), "location": "Hub", "sr-status": .string(id),
         "sr-status-label": .string(label)]
    }

    static func push(type: String, status: String, code: String?, instructions: String = "scan",
                     at time: String = "2026-01-15T10:00:00.000") -> JSON {
        var shipment: JSONObject = ["AWB": "DL-TEST-1",
                                    "Status": ["Status": .string(status), "StatusType": .string(type), "StatusDateTime": .string(time),
                                               "StatusLocation": "Hub", "Instructions": .string(instructions)]]
        if let code { shipment["NSLCode"] = .string(code) }
        return ["Shipment": .object(shipment)]
    }

    static func track(_ scans: [(type: String, status: String, code: String, time: String)]) -> JSON {
        let list: [JSON] = scans.map { s in
            ["ScanDetail": ["ScanType": .string(s.type), "Scan": .string(s.status), "StatusCode": .string(s.code),
                            "StatusDateTime": .string(s.time), "ScanDateTime": .string(s.time), "ScannedLocation": "Hub", "Instructions": "scan"]]
        }
        return ["ShipmentData": [["Shipment": ["AWB": "DL-TEST-2", "Scans": .array(list)]]]]
    }

    @Test func everyShiprocketRowMapsAsDeclared() throws {
        let rows = Adapters.shiprocketManifest.statusMap
        #expect(rows.count >= 30)
        for row in rows {
            let id = try #require(row.match["shipment_status_id"].flatMap { Int($0) }, "row without shipment_status_id: \(row.match)")
            let events = try shiprocket.normalizeTracking(Self.srHook(id))
            let event = try #require(events.first)
            #expect(events.count == 1)
            #expect(event.status.rawValue == row.status, "sr-\(id)")
            #expect(event.isNDR == row.ndr, "sr-\(id)")
            #expect(event.ndrReason?.rawValue == (row.ndr ? row.ndrReason : nil), "sr-\(id)")
            #expect(event.courierStatusCode == "sr-\(id)")
        }
    }

    @Test func everyDelhiveryRowMapsAsDeclared() throws {
        let rows = Adapters.delhiveryManifest.statusMap
        #expect(rows.count >= 30)
        for row in rows {
            let type = try #require(row.match["status_type"])
            // Attempt-failure rows name only the code: their scans are UD/Pending.
            let status = row.match["status"] ?? "Pending"
            let events = try delhivery.normalizeTracking(Self.push(type: type, status: status, code: row.match["code"] ?? "X-TEST"))
            let event = try #require(events.first)
            let label = "\(type)/\(status)/\(row.match["code"] ?? "-")"
            #expect(event.status.rawValue == row.status, "\(label)")
            #expect(event.isNDR == row.ndr, "\(label)")
            #expect(event.ndrReason?.rawValue == (row.ndr ? row.ndrReason : nil), "\(label)")
        }
    }

    @Test func otherReasonsComeFromTheRemark() throws {
        // sr-21's table reason is "other": the scan text decides.
        let hook = Self.srHook(nil, scans: [Self.srScan("21", at: "2026-01-15 10:00:00", activity: "Undelivered - Consignee refused to accept")])
        #expect(try shiprocket.normalizeTracking(hook).first?.ndrReason == .refused)
        let cash = Self.srHook(nil, scans: [Self.srScan("21", at: "2026-01-15 10:00:00", activity: "Customer says paise nahi hai")])
        #expect(try shiprocket.normalizeTracking(cash).first?.ndrReason == .codNotReady)  // NDRReason.classify fallback
        // EOD-69 (other) stays other when the text says nothing more.
        let open = Self.push(type: "UD", status: "Pending", code: "EOD-69", instructions: "Customer asked for open delivery")
        #expect(try delhivery.normalizeTracking(open).first?.ndrReason == .other)
        // A declared reason wins over the text.
        let declared = Self.push(type: "UD", status: "Pending", code: "EOD-11", instructions: "Wrong address")
        #expect(try delhivery.normalizeTracking(declared).first?.ndrReason == .customerUnavailable)
    }

    @Test func pendingWithoutAttemptFailureCodeIsNotAnNDR() throws {
        let codes: [String?] = ["X-IBD3F", "DLYDC-107", "S-MAR", nil]
        for code in codes {
            let event = try #require(try delhivery.normalizeTracking(Self.push(type: "UD", status: "Pending", code: code)).first)
            #expect(event.status == .inTransit && !event.isNDR && event.ndrReason == nil, "\(code ?? "no code")")
        }
        // An attempt outcome code the table does not list yet is still a failed attempt (reason from its text).
        let unlisted = try #require(try delhivery.normalizeTracking(
            Self.push(type: "UD", status: "Pending", code: "EOD-999", instructions: "Door locked")).first)
        #expect(unlisted.isNDR && unlisted.ndrReason == .customerUnavailable)
    }

    @Test func rtoDeliveredIsNeverDelivered() throws {
        // Shiprocket: the RTO table row, a forward id under an "RTO" label, a forward id after the return began.
        #expect(try shiprocket.normalizeTracking(Self.srHook(10)).first?.status == .rtoDelivered)
        #expect(try shiprocket.normalizeTracking(Self.srHook(7, label: "RTO DELIVERED")).first?.status == .rtoDelivered)
        // "RTO" as a word in any case and punctuation; not inside another word.
        #expect(try shiprocket.normalizeTracking(Self.srHook(7, label: "Delivered (rto)")).first?.status == .rtoDelivered)
        #expect(try shiprocket.normalizeTracking(Self.srHook(7, label: "RTO-Delivered")).first?.status == .rtoDelivered)
        #expect(try shiprocket.normalizeTracking(Self.srHook(7, label: "DELIVERED TO RTOWN HUB")).first?.status == .delivered)
        #expect(try shiprocket.normalizeTracking(Self.srHook(7, label: "DELIVERED")).first?.status == .delivered)
        let late = Self.srHook(nil, scans: [Self.srScan("9", at: "2026-01-15 10:00:00"), Self.srScan("17", at: "2026-01-16 10:00:00"),
                                            Self.srScan("7", at: "2026-01-17 10:00:00")])
        #expect(try shiprocket.normalizeTracking(late).map(\.status) == [.rtoInitiated, .rtoInTransit, .rtoDelivered])
        // Delhivery: DL/RTO, RT/Dispatched (RTO out for delivery), DL/Delivered after RT scans, RT "Returned".
        #expect(try delhivery.normalizeTracking(Self.push(type: "DL", status: "RTO", code: "RT-110")).first?.status == .rtoDelivered)
        #expect(try delhivery.normalizeTracking(Self.push(type: "RT", status: "Dispatched", code: "X-DDD3FD")).first?.status == .rtoInTransit)
        #expect(try delhivery.normalizeTracking(Self.push(type: "RT", status: "Returned", code: nil)).first?.status == .rtoDelivered)
        let journey = Self.track([("UD", "Pending", "EOD-6", "2026-01-15T10:00:00"), ("RT", "In Transit", "RT-101", "2026-01-15T12:00:00"),
                                  ("RT", "In Transit", "X-ILL1F", "2026-01-16T12:00:00"), ("DL", "Delivered", "EOD-38", "2026-01-17T12:00:00")])
        #expect(try delhivery.normalizeTracking(journey).map(\.status) == [.inTransit, .rtoInitiated, .rtoInTransit, .rtoDelivered])
    }

    @Test func unknownCodesKeepTheJourneyStatus() throws {
        // sr-12 (Lost) is deliberately unmapped: stored with its code, the shipment status does not move.
        let hook = Self.srHook(nil, scans: [Self.srScan("18", at: "2026-01-15 10:00:00"), Self.srScan("12", at: "2026-01-16 10:00:00"),
                                            Self.srScan("NA", at: "2026-01-16 11:00:00")])
        let events = try shiprocket.normalizeTracking(hook)
        #expect(events.map(\.status) == [.inTransit, .inTransit, .inTransit])
        #expect(events.map(\.courierStatusCode) == ["sr-18", "sr-12", "X"])
        let lone = try #require(try delhivery.normalizeTracking(Self.push(type: "LT", status: "Lost", code: "LT-100")).first)
        #expect(lone.status == .created && lone.courierStatusCode == "LT-100" && !lone.isNDR)
    }

    @Test func bothManifestsDeclareOnlyKnownVocabulary() {
        for manifest in [Adapters.shiprocketManifest, Adapters.delhiveryManifest] {
            for row in manifest.statusMap {
                #expect(ShipmentStatus(rawValue: row.status) != nil, "\(manifest.code): \(row.status)")
                if let reason = row.ndrReason { #expect(NDRReason(rawValue: reason) != nil, "\(manifest.code): \(reason)") }
                #expect(!row.ndr || row.status == "in_transit", "\(manifest.code): an NDR row must keep the forward journey open")
            }
            for rule in manifest.ndrReasonMap { #expect(NDRReason(rawValue: rule.reason) != nil, "\(manifest.code): \(rule.reason)") }
        }
    }
}
