import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random
    /// bits. Ids made one after another sort after each other, so an index on
    /// them grows at its right edge instead of touching a random page per row
    /// (and logging a full page image of it after each checkpoint).
    public static func timeOrdered(now: Date = Date()) -> UUID {
        // One draw of 64 random bits (one getrandom call, not two) fills rand_a and most of
        // rand_b: ids made in the same millisecond still collide with odds of 2^-64.
        var random = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let bits = random.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        for i in 6..<14 { bytes[i] = UInt8(truncatingIfNeeded: bits >> (8 * (i - 6))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70   // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80   // RFC 9562 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
