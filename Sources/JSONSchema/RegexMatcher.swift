import JSONCore
/// Membership of ASCII bytes in a `CharSet`, as plain data.
struct ASCIIClass: Sendable, BitwiseCopyable {
    let low: UInt64
    let high: UInt64
    let negated: Bool

    @inline(__always)
    func contains(_ b: UInt8) -> Bool {
        let bit = b < 64 ? (low >> UInt64(b)) & 1 : (high >> UInt64(b & 63)) & 1
        return (bit != 0) != negated
    }
}

/// Backtracking matcher with a visited (pc, position) bitset: each state is
/// explored at most once, so matching is linear in pattern × input size (no
/// catastrophic backtracking). Sound because only a yes/no answer is needed.
final class RegexProgram: Sendable {
    let insts: [RegexInst]
    let sets: [CharSet]
    let looks: [RegexProgram]
    /// ASCII part of each set as plain data, for the common all-ASCII input.
    let ascii: [ASCIIClass]
    let anchoredStart: Bool
    /// No alternatives to backtrack into: one straight pass per start position.
    let linear: Bool

    init(insts: [RegexInst], sets: [CharSet], looks: [RegexProgram]) {
        self.insts = insts
        self.sets = sets
        self.looks = looks
        ascii = sets.map { ASCIIClass(low: $0.low, high: $0.high, negated: $0.negated) }
        if case .lineStart = insts.first { anchoredStart = true } else { anchoredStart = false }
        linear = !insts.contains {
            switch $0 {
            case .split, .jump, .look: return true
            default: return false
            }
        }
    }

    /// Unanchored search, as ECMA `RegExp.prototype.test`.
    func search(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let starts = anchoredStart ? 0...0 : 0...buf.count
        if linear {
            for start in starts where start == buf.count || buf[start] & 0xC0 != 0x80 {
                if runLinear(buf, start) { return true }
            }
            return false
        }
        return run(buf, starts: starts)
    }

    /// Consumes up to `max` scalars of set `k`; nil if fewer than `min` matched.
    @inline(__always)
    private func span(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ k: Int, _ min: Int, _ max: Int) -> Int? {
        let a = ascii[k]
        var pos = start, count = 0
        while count < max, pos < buf.count {
            let b = buf[pos]
            if b < 0x80 {
                guard a.contains(b) else { break }
                pos += 1
            } else {
                let (s, len) = Self.decode(buf, pos)
                guard sets[k].contains(s) else { break }
                pos += len
            }
            count += 1
        }
        return count >= min ? pos : nil
    }

    private func runLinear(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        var pos = start
        for inst in insts {
            switch inst {
            case .match:
                return true
            case .scalar(let c):
                guard pos < buf.count else { return false }
                let (s, len) = Self.decode(buf, pos)
                guard s == c else { return false }
                pos += len
            case .set(let k):
                guard pos < buf.count else { return false }
                let (s, len) = Self.decode(buf, pos)
                guard s < 0x80 ? ascii[k].contains(UInt8(s)) : sets[k].contains(s) else { return false }
                pos += len
            case .any:
                guard pos < buf.count else { return false }
                let (s, len) = Self.decode(buf, pos)
                if s == 0x0A || s == 0x0D || s == 0x2028 || s == 0x2029 { return false }
                pos += len
            case .span(let k, let min, let max):
                guard let end = span(buf, pos, k, min, max) else { return false }
                pos = end
            case .lineStart:
                guard pos == 0 else { return false }
            case .lineEnd:
                guard pos == buf.count else { return false }
            case .wordBoundary(let negated):
                let before = pos > 0 && Self.isWord(buf[pos - 1])
                let after = pos < buf.count && Self.isWord(buf[pos])
                guard (before != after) != negated else { return false }
            case .split, .jump, .look:
                return false  // excluded by `linear`
            }
        }
        return false
    }

    /// Anchored match attempt at one position (for lookahead).
    func matchAt(_ buf: UnsafeBufferPointer<UInt8>, _ pos: Int) -> Bool {
        run(buf, starts: pos...pos)
    }

    private func run(_ buf: UnsafeBufferPointer<UInt8>, starts: ClosedRange<Int>) -> Bool {
        let width = buf.count + 1
        let words = (insts.count * width + 63) / 64
        if words > 1 << 10 {
            // Long input: keep big bitsets off the stack.
            var visited = [UInt64](repeating: 0, count: words)
            return visited.withUnsafeMutableBufferPointer { run(buf, starts, $0, width) }
        }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { visited in
            visited.initialize(repeating: 0)
            return run(buf, starts, visited, width)
        }
    }

    private func run(_ buf: UnsafeBufferPointer<UInt8>, _ starts: ClosedRange<Int>,
                     _ visited: UnsafeMutableBufferPointer<UInt64>, _ width: Int) -> Bool {
        withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: 64) { small in
            var stack = BacktrackStack(small: small)
            return run(buf, starts, visited, width, &stack)
        }
    }

    private func run(_ buf: UnsafeBufferPointer<UInt8>, _ starts: ClosedRange<Int>,
                     _ visited: UnsafeMutableBufferPointer<UInt64>, _ width: Int, _ stack: inout BacktrackStack) -> Bool {
        for start in starts {
            // Only start on scalar boundaries.
            if start < buf.count, buf[start] & 0xC0 == 0x80 { continue }
            stack.push((0, start))
            while let (pc0, pos0) = stack.pop() {
                var pc = pc0, pos = pos0
                thread: while true {
                    let bit = pc * width + pos
                    let mask: UInt64 = 1 << UInt64(bit & 63)
                    if visited[bit >> 6] & mask != 0 { break thread }
                    visited[bit >> 6] |= mask
                    switch insts[pc] {
                    case .match:
                        return true
                    case .scalar(let c):
                        guard pos < buf.count else { break thread }
                        let (s, len) = Self.decode(buf, pos)
                        guard s == c else { break thread }
                        pos += len
                        pc += 1
                    case .set(let k):
                        guard pos < buf.count else { break thread }
                        let (s, len) = Self.decode(buf, pos)
                        guard sets[k].contains(s) else { break thread }
                        pos += len
                        pc += 1
                    case .any:
                        guard pos < buf.count else { break thread }
                        let (s, len) = Self.decode(buf, pos)
                        if s == 0x0A || s == 0x0D || s == 0x2028 || s == 0x2029 { break thread }
                        pos += len
                        pc += 1
                    case .split(let a, let b):
                        stack.push((b, pos))
                        pc = a
                    case .jump(let a):
                        pc = a
                    case .lineStart:
                        guard pos == 0 else { break thread }
                        pc += 1
                    case .lineEnd:
                        guard pos == buf.count else { break thread }
                        pc += 1
                    case .wordBoundary(let negated):
                        let before = pos > 0 && Self.isWord(buf[pos - 1])
                        let after = pos < buf.count && Self.isWord(buf[pos])
                        guard (before != after) != negated else { break thread }
                        pc += 1
                    case .span(let k, let min, let max):
                        guard let end = span(buf, pos, k, min, max) else { break thread }
                        pos = end
                        pc += 1
                    case .look(let k, let negated):
                        guard looks[k].matchAt(buf, pos) != negated else { break thread }
                        pc += 1
                    }
                }
            }
        }
        return false
    }

    @inline(__always)
    static func isWord(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || (b >= 0x61 && b <= 0x7A)
    }

    /// Decodes one scalar from valid UTF-8 (Swift strings always are).
    @inline(__always)
    static func decode(_ buf: UnsafeBufferPointer<UInt8>, _ pos: Int) -> (UInt32, Int) {
        let b0 = buf[pos]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xE0, pos + 1 < buf.count {
            return (UInt32(b0 & 0x1F) << 6 | UInt32(buf[pos + 1] & 0x3F), 2)
        }
        if b0 < 0xF0, pos + 2 < buf.count {
            return (UInt32(b0 & 0x0F) << 12 | UInt32(buf[pos + 1] & 0x3F) << 6 | UInt32(buf[pos + 2] & 0x3F), 3)
        }
        if pos + 3 < buf.count {
            return (UInt32(b0 & 0x07) << 18 | UInt32(buf[pos + 1] & 0x3F) << 12
                | UInt32(buf[pos + 2] & 0x3F) << 6 | UInt32(buf[pos + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }
}

/// Backtrack stack: a small stack-allocated buffer, spilling to the heap only
/// for patterns that backtrack deeply.
struct BacktrackStack {
    let small: UnsafeMutableBufferPointer<(Int, Int)>
    var count = 0
    var spill: [(Int, Int)] = []

    init(small: UnsafeMutableBufferPointer<(Int, Int)>) { self.small = small }

    @inline(__always)
    mutating func push(_ entry: (Int, Int)) {
        if count < small.count {
            small[count] = entry
            count += 1
        } else {
            spill.append(entry)
        }
    }

    @inline(__always)
    mutating func pop() -> (Int, Int)? {
        if let e = spill.popLast() { return e }
        guard count > 0 else { return nil }
        count -= 1
        return small[count]
    }
}
