import JSONCore
/// Minimal RFC 3986 reference resolution for `$id` / `$ref`. Only string
/// manipulation: nothing is ever fetched.
struct URIReference {
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?
    var fragment: String?

    init(scheme: String?, authority: String?, path: String, query: String?, fragment: String?) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    /// Splits per RFC 3986 appendix B.
    init(_ text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        } else {
            fragment = nil
        }
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        } else {
            query = nil
        }
        scheme = nil
        if let colon = rest.firstIndex(of: ":") {
            let candidate = rest[..<colon]
            if let first = candidate.first, first.isASCII, first.isLetter,
               candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) {
                scheme = String(candidate)
                rest = rest[rest.index(after: colon)...]
            }
        }
        if rest.hasPrefix("//") {
            let afterSlashes = rest.dropFirst(2)
            let end = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            authority = String(afterSlashes[..<end])
            rest = afterSlashes[end...]
        } else {
            authority = nil
        }
        path = String(rest)
    }

    var string: String {
        var out = ""
        if let scheme { out += scheme + ":" }
        if let authority { out += "//" + authority }
        out += path
        if let query { out += "?" + query }
        if let fragment { out += "#" + fragment }
        return out
    }

    /// RFC 3986 §5.2.2 (strict).
    func resolved(against base: URIReference) -> URIReference {
        var t = URIReference(scheme: nil, authority: nil, path: "", query: nil, fragment: fragment)
        if let scheme {
            t.scheme = scheme
            t.authority = authority
            t.path = Self.removeDotSegments(path)
            t.query = query
            return t
        }
        t.scheme = base.scheme
        if let authority {
            t.authority = authority
            t.path = Self.removeDotSegments(path)
            t.query = query
            return t
        }
        t.authority = base.authority
        if path.isEmpty {
            t.path = base.path
            t.query = query ?? base.query
        } else {
            if path.hasPrefix("/") {
                t.path = Self.removeDotSegments(path)
            } else {
                t.path = Self.removeDotSegments(merge(base))
            }
            t.query = query
        }
        return t
    }

    private func merge(_ base: URIReference) -> String {
        if base.authority != nil, base.path.isEmpty { return "/" + path }
        if let slash = base.path.lastIndex(of: "/") { return base.path[...slash] + path }
        return path
    }

    static func removeDotSegments(_ input: String) -> String {
        guard input.contains(".") else { return input }
        var segments: [Substring] = []
        let parts = input.split(separator: "/", omittingEmptySubsequences: false)
        let absolute = input.hasPrefix("/")
        for (i, seg) in parts.enumerated() {
            if absolute, i == 0 { continue }
            let isLast = i == parts.count - 1
            if seg == "." {
                if isLast { segments.append("") }
            } else if seg == ".." {
                if !segments.isEmpty { segments.removeLast() }
                if isLast { segments.append("") }
            } else {
                segments.append(seg)
            }
        }
        return (absolute ? "/" : "") + segments.joined(separator: "/")
    }
}

enum URI {
    /// Resolves `reference` against the absolute `base`.
    static func resolve(_ reference: String, against base: String) -> String {
        URIReference(reference).resolved(against: URIReference(base)).string
    }

    /// Splits off the fragment; an empty fragment is the same as none.
    static func splitFragment(_ uri: String) -> (resource: String, fragment: String) {
        guard let hash = uri.firstIndex(of: "#") else { return (uri, "") }
        return (String(uri[..<hash]), String(uri[uri.index(after: hash)...]))
    }

    /// Decodes %XX escapes (used on pointer fragments).
    static func percentDecode(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        let utf8 = Array(s.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
               let h = hexValue(utf8[i + 1]), let l = hexValue(utf8[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
