import Foundation
import GatewayModel

/// Timestamps as Indian couriers write them. Most carry no zone and mean IST
/// (Asia/Kolkata, +05:30 all year, no daylight saving):
///
/// - ISO-like: "2024-01-15 10:30:00", "2024-01-15T10:30:00.123", with or without
///   an offset ("…+05:30", "…Z": then the offset wins);
/// - day first, numeric: "15 01 2024 10:30:00" (Shiprocket webhooks),
///   "15-01-2024 10:30", "15/01/2024";
/// - day first, month name: "15 Jan 2024 10:30", "15 Jan 2024, 04:16 PM";
/// - month name first: "Jan 15, 2024" / "Jul 01, 2024 10:30" (estimated dates).
///
/// A date without a time is midnight IST. Numeric dates are always read day
/// first, as Indian couriers write them ("01/02/2024" is 1 February).
public enum CourierDates {
    /// India Standard Time. A fixed offset, so no tz database lookup can fail.
    public static let ist: TimeZone = TimeZone(secondsFromGMT: 19_800) ?? .gmt

    public static func parse(_ text: String, defaultTimeZone: TimeZone = ist) -> Date? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64 else { return nil }
        guard let date = DateCoding.parse(trimmed, defaultTimeZone: defaultTimeZone) ?? parseWords(trimmed, zone: defaultTimeZone),
              plausible.contains(date.timeIntervalSince1970) else { return nil }
        return date
    }

    /// 1900-01-01 ..< 3000-01-01: anything else is a placeholder ("0000-00-00 00:00:00") or a typo.
    static let plausible: Range<TimeInterval> = -2_208_988_800 ..< 32_503_680_000

    /// The date (no time) in IST, e.g. for pickup and re-attempt dates: "2024-01-15".
    public static func istDay(_ date: Date) -> CalendarDate {
        CalendarDate(date, in: ist)
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func monthNumber(_ word: Substring) -> Int? {
        let lower = word.lowercased()
        guard lower.count >= 3, lower.allSatisfy(\.isLetter) else { return nil }
        // "Sept" and "September" both start with "sep".
        return monthNames.firstIndex { lower.hasPrefix($0) }.map { $0 + 1 }
    }

    /// Day-first and month-name forms: split into words, then date words, a time, AM/PM.
    private static func parseWords(_ text: String, zone: TimeZone) -> Date? {
        let separators: Set<Character> = [" ", ",", "/", "-"]
        let words = text.split { separators.contains($0) }
        guard words.count >= 3 else { return nil }
        var year = 0, month = 0, day = 0
        if let named = monthNumber(words[0]) {
            // "Jan 15 2024"
            guard let d = Int(words[1]), let y = Int(words[2]) else { return nil }
            (year, month, day) = (y, named, d)
        } else if words[0].count == 4, let y = Int(words[0]), let m = Int(words[1]), let d = Int(words[2]) {
            // "2024/01/15" (the dashed form is ISO and handled before).
            (year, month, day) = (y, m, d)
        } else {
            guard let d = Int(words[0]), let m = Int(words[1]) ?? monthNumber(words[1]), let y = Int(words[2]) else { return nil }
            (year, month, day) = (y, m, d)
        }
        var rest = words.dropFirst(3)
        var hour = 0, minute = 0, second = 0
        var fraction = ""
        if let time = rest.first {
            let parts = time.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count), let h = Int(parts[0]), let mi = Int(parts[1]), parts[1].count == 2 else { return nil }
            hour = h
            minute = mi
            if parts.count == 3 {
                let secondsText = parts[2].split(separator: ".", maxSplits: 1)
                guard let first = secondsText.first, first.count == 2, let s = Int(first) else { return nil }
                second = s
                if secondsText.count == 2 { fraction = String(secondsText[1]) }
            }
            rest = rest.dropFirst()
        }
        if let marker = rest.first?.uppercased(), marker == "AM" || marker == "PM" {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (marker == "PM" ? 12 : 0)
            rest = rest.dropFirst()
        }
        guard rest.isEmpty else { return nil }
        func pad(_ value: Int, _ width: Int) -> String {
            let s = String(value)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        // Re-use the ISO parser's range checks and zone arithmetic.
        var iso = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if !fraction.isEmpty { iso += "." + fraction }
        return DateCoding.parse(iso, defaultTimeZone: zone)
    }
}
