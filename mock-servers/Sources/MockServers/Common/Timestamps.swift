/// ISO-8601 formatting and parsing on epoch seconds.
///
/// Hand-written because the hot path formats several timestamps per order
/// (ISO8601DateFormatter is slow and not Sendable), and the mocks need exact
/// control of offsets: Shopify answers in the shop's zone (+05:30), Amazon in
/// UTC with a trailing Z.
public enum Timestamp {
    /// India Standard Time, the shop time zone of the generated Shopify stores.
    public static let istOffsetSeconds = 19_800

    /// "2025-01-15T14:23:45+05:30" (offsetSeconds 19800) or "...Z" (0 with `zulu`).
    public static func format(_ epoch: Int64, offsetSeconds: Int = 0, zulu: Bool = true) -> String {
        let local = epoch + Int64(offsetSeconds)
        let days = floorDiv(local, 86_400)
        let secs = Int(local - days * 86_400)
        let (y, m, d) = civil(fromDays: days)
        // Written into a byte buffer: this runs a dozen times per rendered order.
        var b = [UInt8]()
        b.reserveCapacity(25)
        func digits(_ v: Int, _ width: Int) {
            var div = 1
            for _ in 1..<width { div *= 10 }
            var v = v
            for _ in 0..<width {
                b.append(UInt8(48 + (v / div) % 10))
                v %= div
                div /= 10
                if div == 0 { break }
            }
        }
        digits(Int(y), 4); b.append(UInt8(ascii: "-")); digits(m, 2); b.append(UInt8(ascii: "-")); digits(d, 2)
        b.append(UInt8(ascii: "T"))
        digits(secs / 3600, 2); b.append(UInt8(ascii: ":")); digits(secs % 3600 / 60, 2); b.append(UInt8(ascii: ":")); digits(secs % 60, 2)
        if offsetSeconds == 0 && zulu {
            b.append(UInt8(ascii: "Z"))
        } else {
            let o = abs(offsetSeconds)
            b.append(offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            digits(o / 3600, 2); b.append(UInt8(ascii: ":")); digits(o % 3600 / 60, 2)
        }
        return String(decoding: b, as: UTF8.self)
    }

    /// Shopify's format: shop-local time with its offset.
    public static func shopify(_ epoch: Int64) -> String { format(epoch, offsetSeconds: istOffsetSeconds) }

    /// Amazon's format: UTC with Z.
    public static func amazon(_ epoch: Int64) -> String { format(epoch) }

    /// Parses "2025-01-15", "2025-01-15T10:00", "2025-01-15T10:00:00.123Z",
    /// "...+05:30", "...+0530", "...-07". Without a zone, `defaultOffset` applies.
    /// Fractions are dropped (whole seconds are the mocks' resolution).
    public static func parse(_ text: String, defaultOffset: Int = 0) -> Int64? {
        let b = Array(text.utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func eat(_ c: Character) -> Bool {
            if i < b.count && b[i] == c.asciiValue { i += 1; return true }
            return false
        }
        guard let y = num(4), eat("-"), let mo = num(2), eat("-"), let d = num(2) else { return nil }
        guard (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var h = 0, mi = 0, s = 0
        if i < b.count && (b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ")) {
            i += 1
            guard let hh = num(2), eat(":"), let mm = num(2) else { return nil }
            h = hh; mi = mm
            if eat(":") {
                guard let ss = num(2) else { return nil }
                s = ss
                if eat(".") || eat(",") {
                    while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
                }
            }
        }
        guard h < 24, mi < 60, s < 61 else { return nil }
        var offset = defaultOffset
        if i < b.count {
            if eat("Z") || eat("z") {
                offset = 0
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let negative = b[i] == UInt8(ascii: "-")
                i += 1
                guard let oh = num(2) else { return nil }
                var om = 0
                if eat(":") {
                    guard let m = num(2) else { return nil }
                    om = m
                } else if i < b.count, let m = num(2) {
                    om = m
                }
                offset = (oh * 3600 + om * 60) * (negative ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        let days = days(fromCivil: Int64(y), mo, d)
        return days * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset)
    }

    // MARK: civil calendar (Howard Hinnant's algorithms)

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int, _ d: Int) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(m > 2 ? m - 3 : m + 9)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        var s = String(v)
        while s.count < width { s = "0" + s }
        return s
    }
}
