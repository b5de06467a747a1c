import JSONCore
import Foundation

/// A compiled `pattern` / `patternProperties` regex with ECMA-262 semantics
/// (unanchored search, `$` only at the very end, ASCII `\d` `\w`).
/// Most patterns run on the small backtracking engine below, over the UTF-8
/// bytes with no allocation per character; constructs it does not know
/// (backreferences, lookbehind, `\p{..}`) fall back to NSRegularExpression.
final class SchemaRegex: Sendable {
    enum Engine: Sendable {
        case native(RegexProgram)
        case foundation(FoundationRegex)
    }

    let source: String
    let engine: Engine
    /// Failure message for `pattern`, built once.
    let message: String

    /// Throws a human-readable message if the pattern is invalid.
    init(_ pattern: String) throws(RegexParseFailure) {
        source = pattern
        message = "must match pattern " + Messages.quoted(pattern)
        do throws(RegexParseFailure) {
            let ast = try RegexParser.parse(pattern)
            var compiler = RegexCompiler()
            try compiler.emit(ast, follow: .end)
            compiler.insts.append(.match)
            engine = .native(RegexProgram(insts: compiler.insts, sets: compiler.sets, looks: compiler.looks))
        } catch .unsupported {
            guard let re = try? NSRegularExpression(pattern: pattern, options: []) else {
                throw .invalid("pattern is not a valid regular expression")
            }
            engine = .foundation(FoundationRegex(re: re))
        }
    }

    func matches(_ string: String) -> Bool {
        switch engine {
        case .native(let program):
            if let result = string.utf8.withContiguousStorageIfAvailable({ program.search($0) }) { return result }
            var s = string
            return s.withUTF8 { program.search($0) }
        case .foundation(let f):
            let range = NSRange(location: 0, length: string.utf16.count)
            return f.re.firstMatch(in: string, options: [], range: range) != nil
        }
    }
}

/// NSRegularExpression is immutable and documented thread-safe.
final class FoundationRegex: @unchecked Sendable {
    let re: NSRegularExpression
    init(re: NSRegularExpression) { self.re = re }
}

enum RegexInst: Sendable {
    case scalar(UInt32)
    case set(Int)
    case any
    case split(Int, Int)  // try the first target, backtrack to the second
    case jump(Int)
    case lineStart, lineEnd
    case wordBoundary(negated: Bool)
    case look(Int, negated: Bool)
    /// Possessive run of 0...max scalars from one set (no backtracking points).
    case span(Int, min: Int, max: Int)
    case match
}

struct RegexCompiler {
    var insts: [RegexInst] = []
    var sets: [CharSet] = []
    var looks: [RegexProgram] = []
    static let maxInstructions = 20_000

    mutating func emit(_ node: RegexNode, follow: Follow) throws(RegexParseFailure) {
        if insts.count > Self.maxInstructions { throw .unsupported("pattern too large") }
        switch node {
        case .empty: break
        case .scalar(let c): insts.append(.scalar(c))
        case .any: insts.append(.any)
        case .set(let s):
            sets.append(s)
            insts.append(.set(sets.count - 1))
        case .sequence(let items):
            for (i, item) in items.enumerated() {
                try emit(item, follow: Follow.first(of: items[(i + 1)...], then: follow))
            }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (k, branch) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = insts.count
                    insts.append(.split(split + 1, -1))
                    try emit(branch, follow: follow)
                    jumps.append(insts.count)
                    insts.append(.jump(-1))
                    insts[split] = .split(split + 1, insts.count)
                } else {
                    try emit(branch, follow: follow)
                }
            }
            for j in jumps { insts[j] = .jump(insts.count) }
        case .repetition(let inner, let min, let max, let greedy):
            // A yes/no search may take a single-character loop possessively when
            // what follows can never start with a character the loop accepts.
            if let set = inner.singleCharacterSet, follow.isDisjoint(with: set) {
                sets.append(set)
                insts.append(.span(sets.count - 1, min: min, max: max ?? Int.max))
                return
            }
            for _ in 0..<min { try emit(inner, follow: .unknown) }
            if let max {
                var splits: [Int] = []
                for _ in min..<Swift.max(min, max) {
                    splits.append(insts.count)
                    insts.append(.split(-1, -1))
                    try emit(inner, follow: .unknown)
                }
                let end = insts.count
                for s in splits { insts[s] = greedy ? .split(s + 1, end) : .split(end, s + 1) }
            } else {
                let loop = insts.count
                insts.append(.split(-1, -1))
                try emit(inner, follow: .unknown)
                insts.append(.jump(loop))
                let end = insts.count
                insts[loop] = greedy ? .split(loop + 1, end) : .split(end, loop + 1)
            }
        case .lineStart: insts.append(.lineStart)
        case .lineEnd: insts.append(.lineEnd)
        case .wordBoundary(let negated): insts.append(.wordBoundary(negated: negated))
        case .lookahead(let inner, let negated):
            var sub = RegexCompiler()
            try sub.emit(inner, follow: .end)
            sub.insts.append(.match)
            looks.append(RegexProgram(insts: sub.insts, sets: sub.sets, looks: sub.looks))
            insts.append(.look(looks.count - 1, negated: negated))
        }
    }
}

/// What may come right after a regex node: the sets its first character can
/// come from, whether the match may end there, or `unknown`.
struct Follow {
    var sets: [CharSet] = []
    var unknown = false

    static let end = Follow()
    static let unknown = Follow(unknown: true)

    func isDisjoint(with set: CharSet) -> Bool {
        !unknown && sets.allSatisfy { $0.isDisjoint(with: set) }
    }

    /// First-character info of `items` followed by `then`.
    static func first(of items: ArraySlice<RegexNode>, then: Follow) -> Follow {
        var result = Follow()
        for item in items {
            let (info, nullable, stop) = firstInfo(item)
            if info.unknown { return .unknown }
            result.sets += info.sets
            if stop { return result }
            if !nullable { return result }
        }
        if then.unknown { return .unknown }
        result.sets += then.sets
        return result
    }

    /// (first sets, can match empty, nothing after it matters e.g. `$`).
    private static func firstInfo(_ node: RegexNode) -> (Follow, Bool, Bool) {
        switch node {
        case .empty: return (Follow(), true, false)
        case .scalar, .any, .set:
            return (Follow(sets: node.singleCharacterSet.map { [$0] } ?? []), false, false)
        case .lineEnd: return (Follow(), true, true)
        case .sequence(let items):
            var acc = Follow()
            for item in items {
                let (info, nullable, stop) = firstInfo(item)
                if info.unknown { return (.unknown, false, false) }
                acc.sets += info.sets
                if stop { return (acc, true, true) }
                if !nullable { return (acc, false, false) }
            }
            return (acc, true, false)
        case .alternation(let branches):
            var acc = Follow()
            var anyNullable = false
            for b in branches {
                let (info, nullable, stop) = firstInfo(b)
                if info.unknown || stop { return (.unknown, false, false) }
                acc.sets += info.sets
                anyNullable = anyNullable || nullable
            }
            return (acc, anyNullable, false)
        case .repetition(let inner, let min, _, _):
            let (info, nullable, stop) = firstInfo(inner)
            if info.unknown || stop { return (.unknown, false, false) }
            return (info, nullable || min == 0, false)
        case .lineStart, .wordBoundary, .lookahead:
            return (.unknown, false, false)
        }
    }
}

extension RegexNode {
    /// The set of scalars a one-character node accepts.
    var singleCharacterSet: CharSet? {
        switch self {
        case .scalar(let c): return CharSet.of([c...c])
        case .set(let s): return s
        case .any: return CharSet.of([0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029], negated: true)
        default: return nil
        }
    }
}
