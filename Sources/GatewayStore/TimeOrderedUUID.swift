import Foundation
import Synchronization

extension UUID {
    /// A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random
    /// bits. Ids made one after another sort after each other, so an index on
    /// them grows at its right edge instead of touching a random page per row
    /// (and logging a full page image of it after each checkpoint).
    public static func timeOrdered(now: Date = Date()) -> UUID {
        // 64 random bits fill rand_a and most of rand_b: ids made in the same
        // millisecond still collide with odds of 2^-64.
        version7(now, random: UUIDRandomPool.shared.next())
    }

    private static func version7(_ date: Date, random bits: UInt64) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        for i in 6..<14 { bytes[i] = UInt8(truncatingIfNeeded: bits >> (8 * (i - 6))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70   // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80   // RFC 9562 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// The smallest UUIDv7 of `date`'s millisecond: every id made at or after
    /// `date` sorts at or above it (PostgreSQL compares UUIDs bytewise).
    public static func timeOrderedLowerBound(_ date: Date) -> UUID {
        version7(date, random: 0)
    }

    /// Parses the canonical 36-character form (8-4-4-4-12 hex digits, either
    /// case) without Foundation's `sscanf`-based parser: webhook URLs carry a
    /// connection id on every request. Anything else is nil.
    public static func parseCanonical(_ text: Substring) -> UUID? {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        var out = 0, high: UInt8?, position = 0
        for byte in utf8 {
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                bytes[out] = h << 4 | nibble
                out += 1
                high = nil
            } else {
                high = nibble
            }
        }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

/// Random bits for UUIDv7 ids: xoshiro256** reseeded from the system
/// generator every 4,096 draws, instead of a getrandom system call per id on
/// the webhook path. Ids need to be unique, not unguessable (they are never a
/// credential), and 256 bits of fresh seed keep streams of concurrent
/// processes apart.
final class UUIDRandomPool: Sendable {
    static let shared = UUIDRandomPool()
    private struct State {
        var s: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var left = 0
    }
    private let state = Mutex(State())

    func next() -> UInt64 {
        state.withLock { st in
            if st.left == 0 {
                var system = SystemRandomNumberGenerator()
                st.s = (system.next(), system.next(), system.next(), system.next() | 1)
                st.left = 4096
            }
            st.left -= 1
            // xoshiro256** (Blackman and Vigna).
            let result = Self.rotl(st.s.1 &* 5, 7) &* 9
            let t = st.s.1 << 17
            st.s.2 ^= st.s.0
            st.s.3 ^= st.s.1
            st.s.1 ^= st.s.2
            st.s.0 ^= st.s.3
            st.s.2 ^= t
            st.s.3 = Self.rotl(st.s.3, 45)
            return result
        }
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
