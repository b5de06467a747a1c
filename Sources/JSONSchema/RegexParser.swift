import JSONCore
/// Parser for the ECMA-262 regular-expression subset JSON Schema patterns use.
/// Anything outside the subset (backreferences, lookbehind, \p{..}) is reported
/// as `.unsupported` so the caller can fall back to Foundation's engine.
indirect enum RegexNode {
    case empty
    case scalar(UInt32)
    case any                     // `.`: anything but a line terminator
    case set(CharSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
    case lineStart, lineEnd
    case wordBoundary(negated: Bool)
    case lookahead(RegexNode, negated: Bool)
}

enum RegexParseFailure: Error {
    case invalid(String)
    case unsupported(String)
}

/// A set of Unicode scalars: ASCII bitmap plus sorted ranges for the rest.
struct CharSet: Sendable {
    var low: UInt64 = 0   // scalars 0..<64
    var high: UInt64 = 0  // scalars 64..<128
    var ranges: [ClosedRange<UInt32>] = []  // non-ASCII parts
    var negated = false

    mutating func add(_ r: ClosedRange<UInt32>) {
        var lo = r.lowerBound
        while lo <= r.upperBound, lo < 128 {
            if lo < 64 { low |= 1 << UInt64(lo) } else { high |= 1 << UInt64(lo - 64) }
            lo += 1
        }
        if lo <= r.upperBound { ranges.append(lo...r.upperBound) }
    }

    mutating func add(_ other: CharSet) {
        if other.negated {
            // Union with a complement: add the complement's ranges explicitly.
            for r in other.complementRanges() { add(r) }
        } else {
            low |= other.low
            high |= other.high
            ranges += other.ranges
        }
    }

    /// All scalars not in the (non-negated) set, as ranges.
    func complementRanges() -> [ClosedRange<UInt32>] {
        var members: [ClosedRange<UInt32>] = []
        for c in UInt32(0)..<128 where containsPositive(c) { members.append(c...c) }
        members += ranges
        members.sort { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in members {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = max(next, r.upperBound &+ 1)
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return out
    }

    /// True when no scalar is in both sets (conservative: may say false).
    func isDisjoint(with other: CharSet) -> Bool {
        switch (negated, other.negated) {
        case (false, false):
            if low & other.low != 0 || high & other.high != 0 { return false }
            for a in ranges { for b in other.ranges where a.overlaps(b) { return false } }
            return true
        case (true, false): return other.isPositiveSubset(of: self)
        case (false, true): return isPositiveSubset(of: other)
        case (true, true): return false
        }
    }

    /// Every member of this (non-negated) set is in `other`'s positive members.
    private func isPositiveSubset(of other: CharSet) -> Bool {
        if low & ~other.low != 0 || high & ~other.high != 0 { return false }
        return ranges.allSatisfy { r in
            other.ranges.contains { $0.lowerBound <= r.lowerBound && r.upperBound <= $0.upperBound }
        }
    }

    @inline(__always)
    func containsPositive(_ c: UInt32) -> Bool {
        if c < 64 { return low & (1 << UInt64(c)) != 0 }
        if c < 128 { return high & (1 << UInt64(c - 64)) != 0 }
        for r in ranges where r.contains(c) { return true }
        return false
    }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool { containsPositive(c) != negated }

    static func of(_ rs: [ClosedRange<UInt32>], negated: Bool = false) -> CharSet {
        var s = CharSet()
        for r in rs { s.add(r) }
        s.negated = negated
        return s
    }

    static let digit = CharSet.of([0x30...0x39])
    static let word = CharSet.of([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    // ECMA-262 WhiteSpace + LineTerminator.
    static let space = CharSet.of([0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
                                   0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF])
}

struct RegexParser {
    let scalars: [UInt32]
    var i = 0

    init(_ pattern: String) {
        scalars = pattern.unicodeScalars.map(\.value)
    }

    static func parse(_ pattern: String) throws(RegexParseFailure) -> RegexNode {
        var p = RegexParser(pattern)
        let node = try p.parseAlternation()
        if p.i < p.scalars.count { throw .invalid("unmatched ')'") }
        return node
    }

    var atEnd: Bool { i >= scalars.count }
    func peek(_ offset: Int = 0) -> UInt32? { i + offset < scalars.count ? scalars[i + offset] : nil }
    static func ch(_ c: Unicode.Scalar) -> UInt32 { c.value }

    mutating func parseAlternation() throws(RegexParseFailure) -> RegexNode {
        var branches = [try parseSequence()]
        while peek() == Self.ch("|") {
            i += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseSequence() throws(RegexParseFailure) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != Self.ch("|"), c != Self.ch(")") {
            let atom = try parseAtom()
            items.append(try parseQuantifier(atom))
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    mutating func parseQuantifier(_ atom: RegexNode) throws(RegexParseFailure) -> RegexNode {
        guard let c = peek() else { return atom }
        var min = 0, max: Int? = nil
        switch c {
        case Self.ch("*"): i += 1
        case Self.ch("+"): i += 1; min = 1
        case Self.ch("?"): i += 1; max = 1
        case Self.ch("{"):
            guard let (lo, hi, end) = braceQuantifier() else { return atom }  // literal '{' (Annex B)
            i = end
            min = lo
            max = hi
            if let hi, hi < lo { throw .invalid("numbers out of order in {} quantifier") }
        default: return atom
        }
        switch atom {
        case .lineStart, .lineEnd, .wordBoundary, .lookahead, .empty:
            throw .invalid("nothing to repeat")
        default: break
        }
        var greedy = true
        if peek() == Self.ch("?") { i += 1; greedy = false }
        return .repetition(atom, min: min, max: max, greedy: greedy)
    }

    /// Parses `{n}`, `{n,}`, `{n,m}` at `i`; nil if it is not a quantifier.
    func braceQuantifier() -> (Int, Int?, Int)? {
        var j = i + 1
        func number() -> Int? {
            var v = 0, digits = 0
            while j < scalars.count, scalars[j] >= 0x30, scalars[j] <= 0x39 {
                v = min(v * 10 + Int(scalars[j] - 0x30), 100_000)
                j += 1
                digits += 1
            }
            return digits > 0 ? v : nil
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if j < scalars.count, scalars[j] == Self.ch(",") {
            j += 1
            hi = number()
        }
        guard j < scalars.count, scalars[j] == Self.ch("}") else { return nil }
        return (lo, hi, j + 1)
    }

    mutating func parseAtom() throws(RegexParseFailure) -> RegexNode {
        guard let c = peek() else { throw .invalid("unexpected end of pattern") }
        i += 1
        switch c {
        case Self.ch("^"): return .lineStart
        case Self.ch("$"): return .lineEnd
        case Self.ch("."): return .any
        case Self.ch("["): return .set(try parseClass())
        case Self.ch("("): return try parseGroup()
        case Self.ch("\\"): return try parseEscape(inClass: false)
        case Self.ch("*"), Self.ch("+"), Self.ch("?"): throw .invalid("nothing to repeat")
        case Self.ch("{"):
            i -= 1
            if braceQuantifier() != nil { throw .invalid("nothing to repeat") }
            i += 1
            return .scalar(c)
        default: return .scalar(c)
        }
    }

    mutating func parseGroup() throws(RegexParseFailure) -> RegexNode {
        var lookahead: Bool? = nil
        if peek() == Self.ch("?") {
            switch peek(1) {
            case Self.ch(":"): i += 2
            case Self.ch("="): i += 2; lookahead = false
            case Self.ch("!"): i += 2; lookahead = true
            case Self.ch("<"):
                if peek(2) == Self.ch("=") || peek(2) == Self.ch("!") { throw .unsupported("lookbehind") }
                // Named group: captures are irrelevant to matching, skip the name.
                i += 2
                while let c = peek(), c != Self.ch(">") { i += 1 }
                guard peek() == Self.ch(">") else { throw .invalid("unterminated group name") }
                i += 1
            default: throw .invalid("invalid group")
            }
        }
        let inner = try parseAlternation()
        guard peek() == Self.ch(")") else { throw .invalid("missing ')'") }
        i += 1
        if let negated = lookahead { return .lookahead(inner, negated: negated) }
        return inner
    }

    mutating func parseClass() throws(RegexParseFailure) -> CharSet {
        var set = CharSet()
        var negated = false
        if peek() == Self.ch("^") { negated = true; i += 1 }
        while let c = peek() {
            if c == Self.ch("]") {
                i += 1
                set.negated = negated
                return set
            }
            let lo = try classAtom()
            if peek() == Self.ch("-"), let next = peek(1), next != Self.ch("]") {
                i += 1
                let hi = try classAtom()
                guard case .scalar(let a) = lo, case .scalar(let b) = hi else {
                    // e.g. [\d-x]: treat '-' literally (Annex B).
                    for part in [lo, .scalar(Self.ch("-")), hi] { add(part, to: &set) }
                    continue
                }
                guard a <= b else { throw .invalid("range out of order in character class") }
                set.add(a...b)
            } else {
                add(lo, to: &set)
            }
        }
        throw .invalid("missing ']'")
    }

    private func add(_ node: RegexNode, to set: inout CharSet) {
        switch node {
        case .scalar(let s): set.add(s...s)
        case .set(let other): set.add(other)
        default: break
        }
    }

    mutating func classAtom() throws(RegexParseFailure) -> RegexNode {
        guard let c = peek() else { throw .invalid("missing ']'") }
        i += 1
        if c == Self.ch("\\") { return try parseEscape(inClass: true) }
        return .scalar(c)
    }

    mutating func parseEscape(inClass: Bool) throws(RegexParseFailure) -> RegexNode {
        guard let c = peek() else { throw .invalid("\\ at end of pattern") }
        i += 1
        switch c {
        case Self.ch("d"): return .set(.digit)
        case Self.ch("D"): return .set(negate(.digit))
        case Self.ch("w"): return .set(.word)
        case Self.ch("W"): return .set(negate(.word))
        case Self.ch("s"): return .set(.space)
        case Self.ch("S"): return .set(negate(.space))
        case Self.ch("b"): return inClass ? .scalar(0x08) : .wordBoundary(negated: false)
        case Self.ch("B"): return inClass ? .scalar(Self.ch("B")) : .wordBoundary(negated: true)
        case Self.ch("t"): return .scalar(0x09)
        case Self.ch("n"): return .scalar(0x0A)
        case Self.ch("v"): return .scalar(0x0B)
        case Self.ch("f"): return .scalar(0x0C)
        case Self.ch("r"): return .scalar(0x0D)
        case Self.ch("0"):
            if let d = peek(), d >= 0x30, d <= 0x39 { throw .unsupported("octal escape") }
            return .scalar(0)
        case Self.ch("1")...Self.ch("9"):
            if inClass { throw .unsupported("octal escape in class") }
            throw .unsupported("backreference")
        case Self.ch("k"), Self.ch("p"), Self.ch("P"), Self.ch("c"):
            throw .unsupported("\\\(Unicode.Scalar(c).map { String(Character($0)) } ?? "") escape")
        case Self.ch("x"):
            guard let v = hex(count: 2) else { throw .invalid("invalid \\x escape") }
            return .scalar(v)
        case Self.ch("u"):
            if peek() == Self.ch("{") {
                i += 1
                var v: UInt32 = 0
                var digits = 0
                while let d = peek(), let h = URI.hexValue(UInt8(truncatingIfNeeded: d)), d < 128 {
                    v = v * 16 + UInt32(h)
                    digits += 1
                    i += 1
                    if v > 0x10FFFF { throw .invalid("\\u{} escape out of range") }
                }
                guard digits > 0, peek() == Self.ch("}") else { throw .invalid("invalid \\u{} escape") }
                i += 1
                return .scalar(v)
            }
            guard var v = hex(count: 4) else { throw .invalid("invalid \\u escape") }
            // A surrogate pair written as two escapes is one code point.
            if v >= 0xD800, v <= 0xDBFF, peek() == Self.ch("\\"), peek(1) == Self.ch("u") {
                let save = i
                i += 2
                if let low = hex(count: 4), low >= 0xDC00, low <= 0xDFFF {
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    i = save
                }
            }
            return .scalar(v)
        default:
            return .scalar(c)  // identity escape: \. \/ \- etc.
        }
    }

    private func negate(_ s: CharSet) -> CharSet {
        var n = s
        n.negated = true
        return n
    }

    mutating func hex(count: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<count {
            guard let d = peek(k), d < 128, let h = URI.hexValue(UInt8(d)) else { return nil }
            v = v * 16 + UInt32(h)
        }
        i += count
        return v
    }
}
