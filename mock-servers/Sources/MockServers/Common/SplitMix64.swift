/// Deterministic PRNG: the same seed gives the same orders on every machine.
///
/// SplitMix64 is tiny, fast and good enough for test data; `derive` gives an
/// independent stream per order so orders can be generated lazily, in any order.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent generator for item `index` of stream `stream`.
    public static func derive(seed: UInt64, stream: UInt64, index: UInt64) -> SplitMix64 {
        var g = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        let mixed = g.next() ^ (index &* 0x9E37_79B9_7F4A_7C15)
        return SplitMix64(seed: mixed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform integer in `range` (small modulo bias is irrelevant for test data).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next() % span)
    }

    /// Uniform in [0, 1): used for probabilities only, never for money.
    public mutating func unit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[Int(next() % UInt64(items.count))]
    }

    /// Picks by integer weights.
    public mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var r = Int(next() % UInt64(max(total, 1)))
        for (item, w) in items {
            if r < w { return item }
            r -= w
        }
        return items[items.count - 1].0
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let alnumChars: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    /// Lower-case hex string of `count` characters.
    public mutating func hex(_ count: Int) -> String {
        var b = [UInt8](repeating: 0, count: count)
        for i in 0..<count { b[i] = Self.hexDigits[Int(next() & 0xF)] }
        return String(decoding: b, as: UTF8.self)
    }

    /// Upper-case alphanumerics (order tokens, ASINs).
    public mutating func alnum(_ count: Int) -> String {
        var b = [UInt8](repeating: 0, count: count)
        for i in 0..<count { b[i] = Self.alnumChars[Int(next() % 36)] }
        return String(decoding: b, as: UTF8.self)
    }

    public mutating func digits(_ count: Int) -> String {
        var b = [UInt8](repeating: 0, count: count)
        for i in 0..<count { b[i] = UInt8(48 + next() % 10) }
        return String(decoding: b, as: UTF8.self)
    }
}
