import JSONCore
/// `format` values checked as assertions. Unknown formats are annotations only.
enum FormatKind: String, Sendable, CaseIterable {
    case email, hostname, ipv4, ipv6, uri, uriReference = "uri-reference"
    case dateTime = "date-time", date, time, uuid, jsonPointer = "json-pointer", regex

    var message: String {
        switch self {
        case .email: return "must be a valid email address"
        case .hostname: return "must be a valid hostname"
        case .ipv4: return "must be a valid IPv4 address"
        case .ipv6: return "must be a valid IPv6 address"
        case .uri: return "must be a valid URI"
        case .uriReference: return "must be a valid URI reference"
        case .dateTime: return "must be a valid date-time (RFC 3339, e.g. 2024-01-31T12:00:00Z)"
        case .date: return "must be a valid date (YYYY-MM-DD)"
        case .time: return "must be a valid time (RFC 3339, e.g. 12:00:00Z)"
        case .uuid: return "must be a valid UUID"
        case .jsonPointer: return "must be a valid JSON pointer"
        case .regex: return "must be a valid regular expression"
        }
    }

    func check(_ s: String) -> Bool {
        let b = Array(s.utf8)
        switch self {
        case .email: return Formats.email(b)
        case .hostname: return Formats.hostname(b[...])
        case .ipv4: return Formats.ipv4(b[...])
        case .ipv6: return Formats.ipv6(b[...])
        case .uri: return Formats.uri(b, requireScheme: true)
        case .uriReference: return Formats.uri(b, requireScheme: false)
        case .dateTime: return Formats.dateTime(b)
        case .date: return Formats.date(b[...])
        case .time: return Formats.time(b[...])
        case .uuid: return Formats.uuid(b)
        case .jsonPointer: return Formats.jsonPointer(b)
        case .regex: return (try? SchemaRegex(s)) != nil
        }
    }
}

/// Constant-time membership for ASCII bytes.
struct ASCIISet: Sendable {
    private var low: UInt64 = 0, high: UInt64 = 0

    init(_ chars: String, letters: Bool = false, digits: Bool = false) {
        var all = Array(chars.utf8)
        if letters { all += Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8) }
        if digits { all += Array("0123456789".utf8) }
        for c in all where c < 128 {
            if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
        }
    }

    @inline(__always)
    func contains(_ c: UInt8) -> Bool {
        if c < 64 { return low & (1 << UInt64(c)) != 0 }
        if c < 128 { return high & (1 << UInt64(c - 64)) != 0 }
        return false
    }
}

enum Formats {
    static let atext = ASCIISet("!#$%&'*+-/=?^_`{|}~", letters: true, digits: true)
    static let uriChars = ASCIISet("-._~!$&'()*+,;=:@/?#[]", letters: true, digits: true)

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func isHex(_ c: UInt8) -> Bool { URI.hexValue(c) != nil }

    static func email(_ b: [UInt8]) -> Bool {
        guard let at = b.lastIndex(of: UInt8(ascii: "@")), at > 0, at < b.count - 1 else { return false }
        let local = b[..<at], domain = b[(at + 1)...]
        if local.first == UInt8(ascii: "\"") {
            // quoted-string local part
            guard local.count >= 2, local.last == UInt8(ascii: "\"") else { return false }
            var escaped = false
            for c in local.dropFirst().dropLast() {
                if escaped { escaped = false; continue }
                if c == UInt8(ascii: "\\") { escaped = true; continue }
                if c == UInt8(ascii: "\"") || c < 0x20 || c >= 0x7F { return false }
            }
            if escaped { return false }
        } else {
            guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."), local.count <= 64 else { return false }
            var previousDot = false
            for c in local {
                if c == UInt8(ascii: ".") {
                    if previousDot { return false }
                    previousDot = true
                    continue
                }
                previousDot = false
                guard atext.contains(c) else { return false }
            }
        }
        if domain.first == UInt8(ascii: "[") {
            guard domain.last == UInt8(ascii: "]") else { return false }
            let inner = domain.dropFirst().dropLast()
            let prefix = Array("IPv6:".utf8)
            if inner.starts(with: prefix) { return ipv6(inner.dropFirst(prefix.count)) }
            return ipv4(inner)
        }
        return hostname(domain)
    }

    static func hostname(_ b: ArraySlice<UInt8>) -> Bool {
        guard !b.isEmpty, b.count <= 253 else { return false }
        for label in b.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63,
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            for c in label where !(isAlpha(c) || isDigit(c) || c == UInt8(ascii: "-")) { return false }
        }
        return true
    }

    static func ipv4(_ b: ArraySlice<UInt8>) -> Bool {
        let parts = b.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for p in parts {
            guard (1...3).contains(p.count), p.allSatisfy(isDigit) else { return false }
            if p.count > 1, p.first == UInt8(ascii: "0") { return false }
            let v = p.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            if v > 255 { return false }
        }
        return true
    }

    static func ipv6(_ b: ArraySlice<UInt8>) -> Bool {
        guard !b.isEmpty, b.count <= 45 else { return false }
        var groups = b.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map { $0 }
        var units = 0
        // An embedded IPv4 address may end the address and counts as two groups.
        if let last = groups.last, last.contains(UInt8(ascii: ".")) {
            guard ipv4(last) else { return false }
            groups.removeLast()
            groups.append([UInt8]("0".utf8)[...])
            units += 1
        }
        let text = b
        let doubleColons = zip(text, text.dropFirst()).filter { $0 == UInt8(ascii: ":") && $1 == UInt8(ascii: ":") }.count
        guard doubleColons <= 1 else { return false }
        if doubleColons == 0 {
            guard groups.count + units == 8 else { return false }
            return groups.allSatisfy { (1...4).contains($0.count) && $0.allSatisfy(isHex) }
        }
        // Leading/trailing "::" create empty groups at the ends; drop them.
        var g = groups[...]
        if text.starts(with: [UInt8(ascii: ":"), UInt8(ascii: ":")]) { g = g.dropFirst() }
        if text.reversed().starts(with: [UInt8(ascii: ":"), UInt8(ascii: ":")]) { g = g.dropLast() }
        var empties = 0, count = 0
        for group in g {
            if group.isEmpty { empties += 1; continue }
            guard group.count <= 4, group.allSatisfy(isHex) else { return false }
            count += 1
        }
        return empties == 1 && count + units <= 7
    }

    /// RFC 3986 URI (or relative reference when `requireScheme` is false).
    static func uri(_ b: [UInt8], requireScheme: Bool) -> Bool {
        var rest = b[...]
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
        if let colon = b.firstIndex(of: UInt8(ascii: ":")),
           !b[..<colon].contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            let scheme = b[..<colon]
            guard let f = scheme.first, isAlpha(f), scheme.allSatisfy({
                isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            }) else { return false }
            rest = b[(colon + 1)...]
        } else if requireScheme {
            return false
        }
        if rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) {
            let start = rest.startIndex + 2
            let end = rest[start...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
                ?? rest.endIndex
            guard authority(rest[start..<end]) else { return false }
            rest = rest[end...]
        }
        // path, query, fragment: pchar / "/" / "?" (one "#" starts the fragment); no brackets.
        var hashes = 0
        var i = rest.startIndex
        while i < rest.endIndex {
            let c = rest[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < rest.endIndex, isHex(rest[i + 1]), isHex(rest[i + 2]) else { return false }
                i += 3
                continue
            }
            if c == UInt8(ascii: "#") { hashes += 1 }
            guard uriChars.contains(c), c != UInt8(ascii: "["), c != UInt8(ascii: "]") else { return false }
            i += 1
        }
        return hashes <= 1
    }

    static let regNameChars = ASCIISet("-._~!$&'()*+,;=", letters: true, digits: true)

    /// authority = [ userinfo "@" ] host [ ":" port ]
    private static func authority(_ a: ArraySlice<UInt8>) -> Bool {
        var hostPort = a
        if let at = a.lastIndex(of: UInt8(ascii: "@")) {
            let userinfo = a[..<at]
            guard !userinfo.contains(UInt8(ascii: "@")), pctEncoded(userinfo, extra: UInt8(ascii: ":")) else { return false }
            hostPort = a[(at + 1)...]
        }
        var host = hostPort
        if hostPort.first == UInt8(ascii: "[") {
            guard let close = hostPort.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = hostPort[(hostPort.startIndex + 1)..<close]
            if literal.first == UInt8(ascii: "v") || literal.first == UInt8(ascii: "V") {
                guard literal.contains(UInt8(ascii: ".")) else { return false }  // IPvFuture
            } else if !ipv6(literal) {
                return false
            }
            host = hostPort[hostPort.startIndex...close]
            let after = hostPort[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":"), after.dropFirst().allSatisfy(isDigit) else { return false }
            }
            return true
        }
        if let colon = hostPort.lastIndex(of: UInt8(ascii: ":")) {
            guard hostPort[(colon + 1)...].allSatisfy(isDigit) else { return false }
            host = hostPort[..<colon]
        }
        return pctEncoded(host, extra: nil)
    }

    /// reg-name / userinfo characters with valid %XX escapes.
    private static func pctEncoded(_ s: ArraySlice<UInt8>, extra: UInt8?) -> Bool {
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < s.endIndex, isHex(s[i + 1]), isHex(s[i + 2]) else { return false }
                i += 3
                continue
            }
            guard regNameChars.contains(c) || c == extra else { return false }
            i += 1
        }
        return true
    }

    private static func number(_ b: ArraySlice<UInt8>) -> Int? {
        guard !b.isEmpty, b.allSatisfy(isDigit) else { return nil }
        return b.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    static func date(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.count == 10 else { return false }
        let s = b.startIndex
        guard b[s + 4] == UInt8(ascii: "-"), b[s + 7] == UInt8(ascii: "-"),
              let y = number(b[s..<(s + 4)]), let m = number(b[(s + 5)..<(s + 7)]), let d = number(b[(s + 8)..<(s + 10)]),
              (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    static func time(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.count >= 9 else { return false }
        let s = b.startIndex
        guard b[s + 2] == UInt8(ascii: ":"), b[s + 5] == UInt8(ascii: ":"),
              let h = number(b[s..<(s + 2)]), let m = number(b[(s + 3)..<(s + 5)]), let sec = number(b[(s + 6)..<(s + 8)]),
              h <= 23, m <= 59, sec <= 60 else { return false }
        var i = s + 8
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.endIndex, isDigit(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.endIndex else { return false }
        var offsetMinutes = 0
        switch b[i] | 0x20 {
        case UInt8(ascii: "z"):
            guard i + 1 == b.endIndex else { return false }
        default:
            guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b.endIndex - i == 6,
                  b[i + 3] == UInt8(ascii: ":"), let oh = number(b[(i + 1)..<(i + 3)]), let om = number(b[(i + 4)..<(i + 6)]),
                  oh <= 23, om <= 59 else { return false }
            offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
        }
        if sec == 60 {
            // A leap second is only valid at 23:59:60 UTC.
            let utc = ((h * 60 + m - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func dateTime(_ b: [UInt8]) -> Bool {
        guard b.count >= 20, b[10] | 0x20 == UInt8(ascii: "t") else { return false }
        return date(b[0..<10]) && time(b[11...])
    }

    static func uuid(_ b: [UInt8]) -> Bool {
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                guard c == UInt8(ascii: "-") else { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    static func jsonPointer(_ b: [UInt8]) -> Bool {
        if b.isEmpty { return true }
        guard b[0] == UInt8(ascii: "/") else { return false }
        for (i, c) in b.enumerated() where c == UInt8(ascii: "~") {
            guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "0") || b[i + 1] == UInt8(ascii: "1") else { return false }
        }
        return true
    }
}
