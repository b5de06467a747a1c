import Foundation

/// A calendar date without time or zone, for PostgreSQL `DATE` columns (`ndr_records.due_date`,
/// `shipments.estimated_delivery_date`). Text and JSON form: "YYYY-MM-DD".
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil for impossible dates (Feb 30, month 13, ...).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...DateCoding.daysInMonth(year, month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "YYYY-MM-DD" exactly.
    public init?(string: String) {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isWholeNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date an instant falls on in `timeZone` (e.g. the tenant's Asia/Kolkata).
    public init(_ date: Date, in timeZone: TimeZone) {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        let days = Int64((local / 86_400).rounded(.down))
        let (y, m, d) = DateCoding.civilFromDays(days)
        year = y
        month = m
        day = d
    }

    private init(uncheckedDays days: Int) {
        let (y, m, d) = DateCoding.civilFromDays(Int64(days))
        year = y
        month = m
        day = d
    }

    var daysSinceEpoch: Int { DateCoding.daysFromCivil(year, month, day) }

    public func adding(days: Int) -> CalendarDate { CalendarDate(uncheckedDays: daysSinceEpoch + days) }

    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = CalendarDate(string: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a YYYY-MM-DD date: \(s.prefix(20))")
        }
        self = d
    }
}
