import Foundation
import JSONCore
import Testing
@testable import GatewayModel

@Suite struct NDRTests {
    @Test(arguments: [
        ("Customer not available", NDRReason.customerUnavailable), ("Consignee unavailable", .customerUnavailable),
        ("DOOR LOCKED", .customerUnavailable), ("CNA - consignee not available", .customerUnavailable),
        ("CNA", .customerUnavailable), ("Customer not reachable/phone switched off", .customerUnavailable),
        ("Customer requested future delivery", .customerUnavailable), ("Premises closed", .customerUnavailable),
        ("Address incorrect/wrong", .wrongAddress), ("Wrong address", .wrongAddress), ("Incorrect Address", .wrongAddress),
        ("Address not found", .wrongAddress), ("Consignee shifted", .wrongAddress), ("galat address", .wrongAddress),
        ("Incomplete address", .incompleteAddress), ("Incomplete/Insufficient address", .incompleteAddress),
        ("Address incomplete - landmark missing", .incompleteAddress),
        ("Refused", .refused), ("Customer refused to accept", .refused), ("Consignee refused delivery", .refused),
        ("Customer doesn't want the product", .refused), ("Order cancelled by customer", .refused),
        ("Shipment rejected by consignee", .refused),
        ("COD amount not ready", .codNotReady), ("Cash not available", .codNotReady),
        ("Customer refused - COD amount not ready", .codNotReady), ("Consignee does not have cash", .codNotReady),
        ("Out of delivery area", .other), ("ODA location", .other), ("Heavy rain", .other),
        ("Entry restricted, security did not allow", .other), ("", .other), ("   ", .other), ("Shipment scanned", .other),
        ("unknown remark 42", .other), ("Scanned at hub; CNAME", .other),
    ])
    func classifies(remark: String, expected: NDRReason) {
        #expect(NDRReason.classify(remark: remark) == expected, "\(remark)")
    }

    @Test(arguments: [
        (1, nil as String?, NDRPriority.low), (1, "0", .low), (1, "499", .medium), (1, "1999.99", .medium),
        (1, "2000", .high), (1, "15000", .high), (2, nil, .high), (2, "10", .high),
        (3, nil, .urgent), (3, "100", .urgent), (5, "5000", .urgent), (0, nil, .low),
    ])
    func priority(attempts: Int, cod: String?, expected: NDRPriority) {
        #expect(NDRPriority.compute(attemptCount: attempts, codAmount: cod.map(Fixtures.money)) == expected)
    }

    @Test func priorityIsOrdered() {
        #expect(NDRPriority.low < .medium && NDRPriority.medium < .high && NDRPriority.high < .urgent)
    }

    static let kolkata = TimeZone(identifier: "Asia/Kolkata")!

    @Test(arguments: [
        ("2024-01-15T18:29:59Z", "2024-01-16"),   // 23:59:59 IST on the 15th
        ("2024-01-15T18:30:00Z", "2024-01-17"),   // 00:00 IST on the 16th, still the 15th in UTC
        ("2024-01-15T23:59:59Z", "2024-01-17"),
        ("2024-01-16T00:30:00Z", "2024-01-17"),   // just after midnight UTC
        ("2024-01-15T10:00:00+05:30", "2024-01-16"),
        ("2024-02-28T19:00:00Z", "2024-03-01"),   // 29 Feb 00:30 IST in a leap year
        ("2024-12-31T20:00:00Z", "2025-01-02"),   // new year in IST first
    ])
    func dueDateInKolkata(ndrAt: String, due: String) {
        #expect(NDRRecordDraft.dueDate(ndrDate: Fixtures.date(ndrAt), timeZone: Self.kolkata).description == due)
    }

    @Test func dueDateDependsOnZone() throws {
        let d = Fixtures.date("2024-01-15T18:30:00Z")
        #expect(NDRRecordDraft.dueDate(ndrDate: d, timeZone: try #require(TimeZone(identifier: "UTC"))).description == "2024-01-16")
        #expect(NDRRecordDraft.dueDate(ndrDate: d, timeZone: Self.kolkata).description == "2024-01-17")
    }

    @Test func draftFromEvent() throws {
        let event = TrackingEvent(awb: "AWB9", status: .inTransit, isNDR: true, courierStatusCode: "EOD-74",
                                  description: "  Consignee not available  ", eventTime: Fixtures.date("2024-01-15T19:00:00Z"))
        let address = Address(name: "Ravi", line1: "1 Park St", city: "Kolkata", postalCode: "700016")
        let d = NDRRecordDraft.make(event: event, attemptCount: 2, codAmount: Fixtures.money("799"),
                                    customerName: "Ravi", customerPhone: "9876543210", address: address, timeZone: Self.kolkata)
        #expect(d.reasonCode == .customerUnavailable)
        #expect(d.reasonDescription == "Consignee not available")
        #expect(d.priority == .high)
        #expect(d.status == .open)
        #expect(d.dueDate == CalendarDate(year: 2024, month: 1, day: 17))
        #expect(d.customerPhone == "+919876543210")
        #expect(d.metadata["courier_code"] == .string("EOD-74"))
        #expect(d.metadata["address_missing_fields"] == nil)

        let obj = try Fixtures.jsonObject(d)
        #expect(Set(obj.keys) == ["reason_code", "reason_description", "ndr_date", "attempt_count", "status", "priority",
                                  "due_date", "customer_name", "customer_phone", "customer_address", "metadata"])
        #expect(obj["due_date"] as? String == "2024-01-17")
        #expect(obj["reason_code"] as? String == "customer_unavailable")
        #expect(try JSONDecoder().decode(NDRRecordDraft.self, from: JSONEncoder().encode(d)) == d)
    }

    @Test func draftUsesCourierReasonAndAddressHint() {
        let vague = TrackingEvent(awb: "A", status: .inTransit, isNDR: true, courierStatusCode: "X",
                                  description: "Undelivered", eventTime: Fixtures.date("2024-01-15T08:00:00Z"))
        let bad = Address(name: "R", line1: "", city: "Pune", postalCode: "41100")
        let d = NDRRecordDraft.make(event: vague, attemptCount: 1, codAmount: nil, customerName: nil,
                                    customerPhone: nil, address: bad, timeZone: Self.kolkata)
        #expect(d.reasonCode == .incompleteAddress)
        #expect(d.priority == .low)
        #expect(d.metadata["address_missing_fields"] == .array([.string("line1"), .string("postal_code")]))

        var explicit = vague
        explicit.ndrReason = .refused
        #expect(NDRRecordDraft.make(event: explicit, attemptCount: 3, codAmount: nil, customerName: nil,
                                    customerPhone: nil, address: bad, timeZone: Self.kolkata).reasonCode == .refused)
    }

    @Test func vocabulariesMatchSeed() {
        #expect(NDRStatus.allCases.map(\.rawValue) == ["open", "in_progress", "reattempt_scheduled", "resolved", "rto"])
        #expect(NDRReason.allCases.map(\.rawValue) == ["customer_unavailable", "wrong_address", "refused", "incomplete_address", "cod_not_ready", "other"])
        #expect(NDRResolution.allCases.map(\.rawValue) == ["delivered", "rto", "cancelled"])
        #expect(NDRPriority.allCases.map(\.rawValue) == ["low", "medium", "high", "urgent"])
        #expect(NDRActionType.allCases.map(\.rawValue) == ["call", "whatsapp", "sms", "email", "reattempt_request",
                                                           "reattempt", "change_address", "change_phone", "rto"])
        #expect(NDRActionType.allCases.filter(\.isCourierAction) == [.reattempt, .changeAddress, .changePhone, .rto])
        #expect(OrderStatus.allCases.map(\.rawValue) == ["pending", "confirmed", "processing", "shipped", "delivered", "cancelled", "returned"])
        #expect(PaymentStatus.allCases.map(\.rawValue) == ["pending", "paid", "cod", "refunded", "failed"])
        #expect(FulfillmentStatus.allCases.map(\.rawValue) == ["unfulfilled", "partial", "fulfilled"])
        #expect(PaymentMethod.allCases.map(\.rawValue) == ["cod", "prepaid", "card", "upi", "wallet", "netbanking"])
        #expect(ShipmentStatus.allCases.map(\.rawValue) == ["created", "manifested", "picked", "in_transit", "out_for_delivery",
                                                            "delivered", "rto_initiated", "rto_in_transit", "rto_delivered", "cancelled"])
        #expect(ChannelConnectionStatus.allCases.map(\.rawValue) == ["active", "disconnected", "error", "syncing"])
    }
}
