import Foundation
import JSONCore

/// The `ndr_records` columns the NDR engine fills when it opens (or bumps) a case. The store
/// adds id, ndr_number, shipment_id, order_id, assignment, resolution and timestamps.
public struct NDRRecordDraft: Sendable, Hashable {
    public var reasonCode: NDRReason
    public var reasonDescription: String?
    public var ndrDate: Date
    public var attemptCount: Int
    public var status: NDRStatus
    public var priority: NDRPriority
    /// A calendar date in the tenant's time zone (`DATE` column).
    public var dueDate: CalendarDate?
    public var customerName: String?
    public var customerPhone: String?
    public var customerAddress: Address?
    public var metadata: JSONObject

    public init(reasonCode: NDRReason, reasonDescription: String? = nil, ndrDate: Date, attemptCount: Int = 1,
                status: NDRStatus = .open, priority: NDRPriority = .medium, dueDate: CalendarDate? = nil,
                customerName: String? = nil, customerPhone: String? = nil, customerAddress: Address? = nil,
                metadata: JSONObject = JSONObject([])) {
        self.reasonCode = reasonCode
        self.reasonDescription = reasonDescription
        self.ndrDate = ndrDate
        self.attemptCount = attemptCount
        self.status = status
        self.priority = priority
        self.dueDate = dueDate
        self.customerName = customerName
        self.customerPhone = PhoneNumber.normalizedText(customerPhone)
        self.customerAddress = customerAddress
        self.metadata = metadata
    }

    /// Action is due the next calendar day in the tenant's zone: an NDR at 00:30 IST on the
    /// 16th (18:00 UTC on the 15th) is due on the 17th, not the 16th.
    public static func dueDate(ndrDate: Date, timeZone: TimeZone) -> CalendarDate {
        CalendarDate(ndrDate, in: timeZone).adding(days: 1)
    }

    /// Builds the draft for a failed delivery attempt.
    /// Reason: the event's own (from the courier's table), else classified from its text; a
    /// vague `.other` becomes `.incompleteAddress` when the delivery address is itself
    /// incomplete. Metadata records the courier code and, when incomplete, the missing fields.
    public static func make(event: TrackingEvent, attemptCount: Int, codAmount: Money?,
                            customerName: String?, customerPhone: String?, address: Address?,
                            timeZone: TimeZone) -> NDRRecordDraft {
        var reason = event.ndrReason ?? NDRReason.classify(remark: event.description)
        let missing = address?.missingFields ?? []
        if reason == .other, !missing.isEmpty { reason = .incompleteAddress }
        var meta = JSONObject([("courier_code", .string(event.courierStatusCode))])
        if !missing.isEmpty { meta["address_missing_fields"] = .array(missing.map(JSON.string)) }
        let description = event.description.trimmingASCIIWhitespace()
        return NDRRecordDraft(
            reasonCode: reason,
            reasonDescription: description.isEmpty ? nil : description,
            ndrDate: event.eventTime,
            attemptCount: attemptCount,
            status: .open,
            priority: NDRPriority.compute(attemptCount: attemptCount, codAmount: codAmount),
            dueDate: dueDate(ndrDate: event.eventTime, timeZone: timeZone),
            customerName: customerName,
            customerPhone: customerPhone,
            customerAddress: address,
            metadata: meta)
    }
}

extension NDRRecordDraft: Codable {
    enum CodingKeys: String, CodingKey {
        case reasonCode = "reason_code"
        case reasonDescription = "reason_description"
        case ndrDate = "ndr_date"
        case attemptCount = "attempt_count"
        case status, priority
        case dueDate = "due_date"
        case customerName = "customer_name"
        case customerPhone = "customer_phone"
        case customerAddress = "customer_address"
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(reasonCode: try c.decode(NDRReason.self, forKey: .reasonCode),
                  reasonDescription: try c.decodeIfPresent(String.self, forKey: .reasonDescription),
                  ndrDate: try c.decodeDate(forKey: .ndrDate),
                  attemptCount: try c.decodeIfPresent(Int.self, forKey: .attemptCount) ?? 1,
                  status: try c.decodeIfPresent(NDRStatus.self, forKey: .status) ?? .open,
                  priority: try c.decodeIfPresent(NDRPriority.self, forKey: .priority) ?? .medium,
                  dueDate: try c.decodeIfPresent(CalendarDate.self, forKey: .dueDate),
                  customerName: try c.decodeIfPresent(String.self, forKey: .customerName),
                  customerPhone: try c.decodeIfPresent(String.self, forKey: .customerPhone),
                  customerAddress: try c.decodeIfPresent(Address.self, forKey: .customerAddress),
                  metadata: try c.decodeMetadata(forKey: .metadata))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reasonCode, forKey: .reasonCode)
        try c.encode(reasonDescription, forKey: .reasonDescription)
        try c.encodeDate(ndrDate, forKey: .ndrDate)
        try c.encode(attemptCount, forKey: .attemptCount)
        try c.encode(status, forKey: .status)
        try c.encode(priority, forKey: .priority)
        try c.encode(dueDate, forKey: .dueDate)
        try c.encode(customerName, forKey: .customerName)
        try c.encode(customerPhone, forKey: .customerPhone)
        try c.encode(customerAddress, forKey: .customerAddress)
        try c.encode(JSON.object(metadata), forKey: .metadata)
    }
}
