import Foundation

/// Query strings and form bodies, percent-encoded per RFC 3986 (everything
/// but unreserved characters), so "+" in a timestamp offset or "|" in a
/// refresh token survives.
public enum URLQuery {
    static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~")
        return set
    }()

    public static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// "a=1&b=x%20y", in the given order.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// Decodes "a=1&b=x%20y" (also "+" as space, as forms do).
    public static func decode(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&").map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func unescape(_ s: Substring) -> String {
                let text = s.replacingOccurrences(of: "+", with: " ")
                return text.removingPercentEncoding ?? text
            }
            return (unescape(pieces[0]), pieces.count > 1 ? unescape(pieces[1]) : "")
        }
    }

    /// The query part of a URL ("" when none).
    public static func query(of url: String) -> String {
        guard let mark = url.firstIndex(of: "?") else { return "" }
        let rest = url[url.index(after: mark)...]
        return String(rest.prefix { $0 != "#" })
    }
}

/// RFC 8288 `Link` headers: `<url>; rel="next", <url>; rel="previous"`.
public enum LinkHeader {
    public static func links(_ header: String) -> [(url: String, rel: String)] {
        var result: [(url: String, rel: String)] = []
        var rest = Substring(header)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let url = String(rest[rest.index(after: open)..<close])
            let paramsEnd = rest[close...].firstIndex(of: "<") ?? rest.endIndex
            let params = rest[rest.index(after: close)..<paramsEnd]
            for param in params.split(separator: ";") {
                let pair = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\",")).trimmingCharacters(in: .whitespaces)
                for rel in value.split(separator: " ") { result.append((url, String(rel))) }
            }
            rest = rest[paramsEnd...]
        }
        return result
    }

    public static func url(_ header: String?, rel: String) -> String? {
        guard let header else { return nil }
        return links(header).first { $0.rel == rel }?.url
    }
}

/// Scheme, host and port of a URL ("https://shop.example:8443"), lower-cased.
public func urlOrigin(_ url: String) -> String? {
    guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
          let host = components.host?.lowercased(), !host.isEmpty else { return nil }
    return scheme + "://" + host + (components.port.map { ":\($0)" } ?? "")
}
