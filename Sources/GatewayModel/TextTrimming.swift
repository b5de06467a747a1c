import Foundation

/// Trimming and comparing provider text on hot paths (every webhook, every
/// scan): the common case, text with nothing to trim, returns without
/// Foundation's CharacterSet machinery or a copy.
extension String {
    /// Without leading and trailing ASCII whitespace and newlines; locale-free.
    public func trimmingASCIIWhitespace() -> String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last, Self.isASCIISpace(first) || Self.isASCIISpace(last) else { return self }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, Self.isASCIISpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, Self.isASCIISpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        // ASCII bytes are scalar boundaries, so these utf8 indexes are valid String indexes.
        return String(self[start..<end])
    }

    /// Without leading and trailing whitespace and newlines, Unicode ones included
    /// (a no-break space from a copy-paste): Foundation only when the ends are not plain ASCII.
    public func trimmingWhitespace() -> String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return self }
        if first < 0x80, last < 0x80 { return trimmingASCIIWhitespace() }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Equal when ASCII letters are folded to one case; other bytes must match exactly.
    /// For protocol tokens (header names, status codes), which are ASCII.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in x == y || (Self.lowerASCII(x) == Self.lowerASCII(y)) }
    }

    /// Whether `needle`'s bytes occur in this string's UTF-8, exactly (no case
    /// folding, no Unicode equivalence): for lowercased ASCII phrases in
    /// courier remarks, without Foundation's locale-aware search.
    public func containsUTF8(_ needle: String) -> Bool {
        var haystack = self, needle = needle
        haystack.makeContiguousUTF8()   // no-ops for native strings
        needle.makeContiguousUTF8()
        return haystack.utf8.withContiguousStorageIfAvailable { h in
            needle.utf8.withContiguousStorageIfAvailable { n in Self.search(h, n) } ?? false
        } ?? false
    }

    static func search(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let head = n.first else { return true }
        guard h.count >= n.count else { return false }
        var i = 0
        while i <= h.count - n.count {
            if h[i] == head {
                var j = 1
                while j < n.count, h[i + j] == n[j] { j += 1 }
                if j == n.count { return true }
            }
            i += 1
        }
        return false
    }

    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    static func lowerASCII(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
