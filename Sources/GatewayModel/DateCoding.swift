import Foundation

/// ISO 8601 timestamps, written in UTC, read with any offset.
///
/// Hand-written rather than a shared formatter: pure functions are trivially `Sendable`, the
/// accepted grammar is explicit, and output is byte-stable (it feeds `UnifiedOrder.contentHash`).
public enum DateCoding {
    /// "2024-01-15T05:00:00Z"; with ".123" or ".123456" when the instant has a sub-second part
    /// (rounded to the microsecond, PostgreSQL's precision).
    public static func format(_ date: Date) -> String {
        // Clamp so absurd dates cannot trap the Int64 conversion (±1e11 s is roughly ±3000 years).
        let t = date.timeIntervalSince1970
        let safe = t.isFinite ? min(max(t, -1e11), 1e11) : 0
        let micros = Int64((safe * 1_000_000).rounded())
        let (secs, frac) = floorDivMod(micros, 1_000_000)
        let (days, secOfDay) = floorDivMod(secs, 86_400)
        let (y, m, d) = civilFromDays(days)
        var s = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        s += pad(secOfDay / 3600, 2) + ":" + pad(secOfDay % 3600 / 60, 2) + ":" + pad(secOfDay % 60, 2)
        if frac != 0 {
            s += frac % 1000 == 0 ? "." + pad(frac / 1000, 3) : "." + pad(frac, 6)
        }
        return s + "Z"
    }

    /// Parses `YYYY-MM-DD(T| )hh:mm[:ss[.fraction]]` followed by `Z` or an offset
    /// (`+05:30`, `+0530`, `+05`). Without an offset the text is read in `defaultTimeZone`,
    /// or rejected when that is nil (a timestamp without a zone is ambiguous).
    public static func parse(_ text: String, defaultTimeZone: TimeZone? = nil) -> Date? {
        var s = Scanner8(Array(text.trimmingASCIIWhitespace().utf8))
        guard s.bytes.count <= 64,
              let y = s.number(4), s.eat(UInt8(ascii: "-")),
              let mo = s.number(2), s.eat(UInt8(ascii: "-")),
              let d = s.number(2) else { return nil }
        guard s.eat(UInt8(ascii: "T")) || s.eat(UInt8(ascii: "t")) || s.eat(UInt8(ascii: " ")),
              let h = s.number(2), s.eat(UInt8(ascii: ":")), let mi = s.number(2) else { return nil }
        var sec = 0
        var fraction: TimeInterval = 0
        if s.eat(UInt8(ascii: ":")) {
            guard let v = s.number(2) else { return nil }
            sec = v
            if s.eat(UInt8(ascii: ".")) || s.eat(UInt8(ascii: ",")) {
                guard let f = s.fraction() else { return nil }
                fraction = f
            }
        }
        guard (1...12).contains(mo), (1...daysInMonth(y, mo)).contains(d),
              (0...23).contains(h), (0...59).contains(mi), (0...59).contains(sec) else { return nil }

        var offset: Int
        if s.eat(UInt8(ascii: "Z")) || s.eat(UInt8(ascii: "z")) {
            offset = 0
        } else if let sign = s.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            s.advance()
            guard let oh = s.number(2), oh <= 18 else { return nil }
            var om = 0
            if s.eat(UInt8(ascii: ":")) {
                guard let v = s.number(2) else { return nil }
                om = v
            } else if let v = s.number(2) {
                om = v
            }
            guard om <= 59 else { return nil }
            offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        } else if s.atEnd, let tz = defaultTimeZone {
            // Local wall time: take the zone's offset at (approximately) that instant.
            let approx = Date(timeIntervalSince1970: TimeInterval(daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec))
            offset = tz.secondsFromGMT(for: approx.addingTimeInterval(-TimeInterval(tz.secondsFromGMT(for: approx))))
        } else {
            return nil
        }
        guard s.atEnd else { return nil }
        let seconds = daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }

    // MARK: civil calendar arithmetic (proleptic Gregorian; H. Hinnant's algorithms)

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = Int(z0) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, Int(r))
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Minimal byte scanner for the fixed-width ISO grammar.
private struct Scanner8 {
    let bytes: [UInt8]
    var i = 0
    init(_ b: [UInt8]) { bytes = b }

    var atEnd: Bool { i == bytes.count }
    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }
    mutating func advance() { i += 1 }

    mutating func eat(_ b: UInt8) -> Bool {
        guard peek == b else { return false }
        i += 1
        return true
    }

    /// Exactly `width` ASCII digits.
    mutating func number(_ width: Int) -> Int? {
        guard i + width <= bytes.count else { return nil }
        var v = 0
        for k in i..<(i + width) {
            let b = bytes[k]
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        i += width
        return v
    }

    /// One or more digits after a decimal point, as a fraction of a second (first 9 digits count).
    mutating func fraction() -> TimeInterval? {
        var value = 0
        var scale = 1
        var count = 0
        while let b = peek, b >= 48, b <= 57 {
            if count < 9 {
                value = value * 10 + Int(b - 48)
                scale *= 10
            }
            count += 1
            i += 1
        }
        return count == 0 ? nil : TimeInterval(value) / TimeInterval(scale)
    }
}

// Coding helpers so every model type writes dates the same way.
extension KeyedEncodingContainer {
    mutating func encodeDate(_ date: Date?, forKey key: Key) throws {
        if let date { try encode(DateCoding.format(date), forKey: key) } else { try encodeNil(forKey: key) }
    }
}

extension KeyedDecodingContainer {
    func decodeDate(forKey key: Key) throws -> Date {
        let s = try decode(String.self, forKey: key)
        guard let d = DateCoding.parse(s) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an ISO 8601 timestamp with zone: \(s.prefix(40))")
        }
        return d
    }

    func decodeDateIfPresent(forKey key: Key) throws -> Date? {
        guard let s = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let d = DateCoding.parse(s) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an ISO 8601 timestamp with zone: \(s.prefix(40))")
        }
        return d
    }
}
