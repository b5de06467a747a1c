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

    static let monthNames: [[UInt8]] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map { Array($0.utf8) }

    /// "Jan", "january", "Sept": a word of letters whose first three name a month.
    static func monthNumber(_ word: ArraySlice<UInt8>) -> Int? {
        // Letters only; bytes of non-ASCII characters count as letters (no month name has them,
        // so such a word only matches when its first three letters are a month's).
        guard word.count >= 3, word.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 >= 0x80 }) else { return nil }
        let prefix = word.prefix(3).map { $0 | 0x20 }
        return monthNames.firstIndex { $0.elementsEqual(prefix) }.map { $0 + 1 }
    }

    /// A number of ASCII digits (an optional leading "+", as `Int(_:)` allows).
    static func number(_ word: ArraySlice<UInt8>) -> Int? {
        let digits = word.first == UInt8(ascii: "+") ? word.dropFirst() : word
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// Day-first and month-name forms: split into words, then date words, a time, AM/PM.
    /// On bytes: it runs for every Shiprocket webhook (`current_timestamp` is "DD MM YYYY HH:mm:ss").
    private static func parseWords(_ text: String, zone: TimeZone) -> Date? {
        let bytes = Array(text.utf8)
        let words = bytes.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") }
        guard words.count >= 3 else { return nil }
        var year = 0, month = 0, day = 0
        if let named = monthNumber(words[0]) {
            // "Jan 15 2024"
            guard let d = number(words[1]), let y = number(words[2]) else { return nil }
            (year, month, day) = (y, named, d)
        } else if words[0].count == 4, let y = number(words[0]), let m = number(words[1]), let d = number(words[2]) {
            // "2024/01/15" (the dashed form is ISO and handled before).
            (year, month, day) = (y, m, d)
        } else {
            guard let d = number(words[0]), let m = number(words[1]) ?? monthNumber(words[1]), let y = number(words[2]) else { return nil }
            (year, month, day) = (y, m, d)
        }
        var rest = words.dropFirst(3)
        var hour = 0, minute = 0, second = 0
        var fraction: ArraySlice<UInt8> = []
        if let time = rest.first {
            let parts = time.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count), let h = number(parts[0]), let mi = number(parts[1]), parts[1].count == 2 else { return nil }
            hour = h
            minute = mi
            if parts.count == 3 {
                let secondsText = parts[2].split(separator: UInt8(ascii: "."), maxSplits: 1)
                guard let first = secondsText.first, first.count == 2, let s = number(first) else { return nil }
                second = s
                if secondsText.count == 2 { fraction = secondsText[1] }
            }
            rest = rest.dropFirst()
        }
        if let marker = rest.first, marker.count == 2, let m = marker.first.map({ $0 | 0x20 }), (m == 0x61 || m == 0x70),
           marker.last.map({ $0 | 0x20 }) == 0x6D {
            // "AM" / "PM", any case.
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (m == 0x70 ? 12 : 0)
            rest = rest.dropFirst()
        }
        guard rest.isEmpty else { return nil }
        // Re-use the ISO parser's range checks and zone arithmetic.
        var iso: [UInt8] = []
        iso.reserveCapacity(32 + fraction.count)
        func pad(_ value: Int, _ width: Int) {
            let digits = Array(String(value).utf8)
            if digits.count < width { iso.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
            iso.append(contentsOf: digits)
        }
        pad(year, 4); iso.append(UInt8(ascii: "-")); pad(month, 2); iso.append(UInt8(ascii: "-")); pad(day, 2)
        iso.append(UInt8(ascii: "T")); pad(hour, 2); iso.append(UInt8(ascii: ":")); pad(minute, 2); iso.append(UInt8(ascii: ":")); pad(second, 2)
        if !fraction.isEmpty {
            iso.append(UInt8(ascii: "."))
            iso.append(contentsOf: fraction)
        }
        return DateCoding.parse(String(decoding: iso, as: UTF8.self), defaultTimeZone: zone)
    }
}
