/// Splits a SQL script into statements. PostgresNIO speaks only the
/// extended protocol, which takes one statement per query, and migration
/// files hold many. Semicolons inside quotes, identifiers, comments and
/// dollar-quoted bodies do not split.
public enum SQLScript {
    public static func statements(_ script: String) -> [String] {
        let chars = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var hasCode = false
        var i = 0

        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode && !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        func copy(until end: Int) {
            while i < end && i < chars.count { current.append(chars[i]); i += 1 }
        }

        while i < chars.count {
            let c = chars[i]
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case "-" where next == "-":
                // Line comment: kept in the text, does not count as code.
                var end = i
                while end < chars.count && chars[end] != "\n" { end += 1 }
                copy(until: end)
            case "/" where next == "*":
                var depth = 0, end = i
                repeat {
                    if end + 1 < chars.count && chars[end] == "/" && chars[end + 1] == "*" { depth += 1; end += 2 }
                    else if end + 1 < chars.count && chars[end] == "*" && chars[end + 1] == "/" { depth -= 1; end += 2 }
                    else { end += 1 }
                } while depth > 0 && end < chars.count
                copy(until: end)
            case "'", "\"":
                hasCode = true
                let backslashEscapes = c == "'" && i > 0 && (chars[i - 1] == "E" || chars[i - 1] == "e")
                var end = i + 1
                while end < chars.count {
                    if backslashEscapes && chars[end] == "\\" { end += 2; continue }
                    if chars[end] == c {
                        if end + 1 < chars.count && chars[end + 1] == c { end += 2; continue }  // doubled quote
                        break
                    }
                    end += 1
                }
                copy(until: end + 1)
            case "$":
                hasCode = true
                // $tag$ … $tag$ (tag may be empty); a lone $1 is a parameter.
                var end = i + 1
                while end < chars.count && (chars[end].properties.isAlphabetic || chars[end] == "_" || (end > i + 1 && ("0"..."9").contains(chars[end]))) { end += 1 }
                if end < chars.count && chars[end] == "$" {
                    let tag = Array(chars[i...end])
                    var close = end + 1
                    while close + tag.count <= chars.count && Array(chars[close..<(close + tag.count)]) != tag { close += 1 }
                    copy(until: min(close + tag.count, chars.count))
                } else {
                    copy(until: i + 1)
                }
            case ";":
                i += 1
                flush()
            default:
                if !c.properties.isWhitespace { hasCode = true }
                current.append(c)
                i += 1
            }
        }
        flush()
        return statements
    }
}
