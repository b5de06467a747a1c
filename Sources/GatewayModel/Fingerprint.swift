import Foundation
import JSONCore

/// Canonical JSON text: object keys sorted by UTF-8 bytes, no whitespace, numbers as their
/// source text, strings with only `"`, `\` and control characters escaped. Deterministic across
/// runs and independent of the insertion order of any object.
public enum CanonicalJSON {
    public static func serialize(_ value: JSON) -> String {
        var writer = JSONTextWriter()
        writer.canonical(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// Appends JSON text to a byte buffer: the hot path for content hashes and the store's
/// JSONB payloads, where `JSONEncoder` (plus a parse to sort keys) cost more than the
/// rest of a pull. Strings are escaped exactly as `CanonicalJSON` does, so the output is
/// both valid JSON and canonical where the caller writes keys in sorted order.
public struct JSONTextWriter: Sendable {
    public var bytes: [UInt8] = []
    /// True right after `{`/`[`: the next member needs no comma.
    private var first = true

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Escapes `"`, `\` and control characters only; everything else is copied as UTF-8.
    public mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buffer in
            var start = 0
            for i in 0..<buffer.count {
                let b = buffer[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<i]))
                start = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    bytes.append(Self.hex[Int(b >> 4)])
                    bytes.append(Self.hex[Int(b & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<buffer.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func beginObject() { bytes.append(UInt8(ascii: "{")); first = true }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); first = false }
    public mutating func beginArray() { bytes.append(UInt8(ascii: "[")); first = true }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); first = false }

    /// A comma unless this is the first member or element.
    public mutating func separator() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    /// `"name":` (with a leading comma when needed); the caller writes the value next.
    public mutating func key(_ name: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func key(dynamic name: String) {
        separator()
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func null() { bytes.append(contentsOf: "null".utf8) }
    public mutating func bool(_ b: Bool) { bytes.append(contentsOf: (b ? "true" : "false").utf8) }
    public mutating func int(_ i: Int) { bytes.append(contentsOf: String(i).utf8) }
    public mutating func optionalString(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func date(_ d: Date?) { if let d { string(DateCoding.format(d)) } else { null() } }

    /// Any JSON value with object keys sorted by UTF-8 bytes at every level.
    public mutating func canonical(_ value: JSON) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): bytes.append(contentsOf: n.text.utf8)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items {
                separator()
                canonical(item)
            }
            endArray()
        case .object(let object):
            canonicalObject(object)
        }
    }

    public mutating func canonicalObject(_ object: JSONObject, extra: (key: String, value: JSON)? = nil) {
        var keys = object.keys
        var values = object.values
        if let extra {
            if let i = keys.firstIndex(of: extra.key) { values[i] = extra.value } else { keys.append(extra.key); values.append(extra.value) }
        }
        let order = keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
        beginObject()
        for i in order {
            key(dynamic: keys[i])
            canonical(values[i])
        }
        endObject()
    }
}

/// FNV-1a, 128-bit: not cryptographic, only change detection. A collision would make the store
/// skip one genuine update; at 2^-128 per comparison that is accepted. The store may SHA-256 the
/// canonical text instead if it wants adversarial resistance.
enum FNV1a128 {
    static func hex(_ text: String) -> String {
        hex(bytes: Array(text.utf8))
    }

    static func hex(bytes: [UInt8]) -> String {
        // The prime is 2^88 + 0x13B, so h·p = (h << 88) + h·0x13B (mod 2^128): a shift and one
        // 64×64 multiply per byte on two 64-bit halves, several times faster than UInt128 `&*`.
        var hi: UInt64 = 0x6c62272e07bb0142
        var lo: UInt64 = 0x62b821756295c58d
        for b in bytes {
            lo ^= UInt64(b)
            let (carry, low) = lo.multipliedFullWidth(by: 0x13B)
            hi = hi &* 0x13B &+ carry &+ (lo << 24)
            lo = low
        }
        let s = String(UInt128(hi) << 64 | UInt128(lo), radix: 16)
        return String(repeating: "0", count: 32 - s.count) + s
    }

    /// The textbook form, for tests.
    static func reference(_ bytes: [UInt8]) -> String {
        var h: UInt128 = 0x6c62272e07bb014262b821756295c58d
        let prime: UInt128 = 0x0000000001000000000000000000013B
        for b in bytes {
            h ^= UInt128(b)
            h = h &* prime
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 32 - s.count) + s
    }
}

extension UnifiedOrder {
    /// The order's JSON form in canonical text (sorted keys at every level, including metadata).
    public var canonicalText: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// UTF-8 of `canonicalText`, written directly: byte for byte what sorting the keys of the
    /// `Encodable` form gives (see `encodedCanonicalText`, kept as the reference in tests).
    public var canonicalBytes: [UInt8] {
        var writer = JSONTextWriter(capacity: 2048)
        writeJSON(into: &writer)
        return writer.bytes
    }

    /// Stable fingerprint of everything the channel told us (32 hex chars). Equal for equal
    /// content regardless of metadata key order; the store compares it to skip rewriting an
    /// unchanged order.
    public var contentHash: String { FNV1a128.hex(bytes: canonicalBytes) }

    /// The order as one JSON object, keys in sorted order (so canonical), the same members as
    /// `encode(to:)`. `items: false` leaves the lines out; `metadata` overrides one metadata key.
    public func writeJSON(into w: inout JSONTextWriter, items includeItems: Bool = true,
                          metadata extra: (key: String, value: JSON)? = nil) {
        w.beginObject()
        w.key("billing_address"); if let billingAddress { billingAddress.writeJSON(into: &w) } else { w.null() }
        w.key("cancelled_at"); w.date(cancelledAt)
        w.key("confirmed_at"); w.date(confirmedAt)
        w.key("currency"); w.string(currency)
        w.key("customer_email"); w.optionalString(customerEmail)
        w.key("customer_name"); w.string(customerName)
        w.key("customer_phone"); w.optionalString(customerPhone)
        w.key("delivered_at"); w.date(deliveredAt)
        w.key("discount_amount"); w.string(discountAmount.stringValue)
        w.key("external_order_id"); w.string(externalOrderId)
        w.key("external_order_number"); w.optionalString(externalOrderNumber)
        w.key("fulfillment_status"); w.string(fulfillmentStatus.rawValue)
        if includeItems {
            w.key("items")
            w.beginArray()
            for item in items {
                w.separator()
                w.beginObject()
                item.writeJSONMembers(into: &w)
                w.endObject()
            }
            w.endArray()
        }
        w.key("metadata"); w.canonicalObject(metadata, extra: extra)
        w.key("notes"); w.optionalString(notes)
        w.key("order_date"); w.date(orderDate)
        w.key("order_number"); w.string(orderNumber)
        w.key("payment_gateway"); w.optionalString(paymentGateway)
        w.key("payment_method"); w.optionalString(paymentMethod?.rawValue)
        w.key("payment_reference"); w.optionalString(paymentReference)
        w.key("payment_status"); w.string(paymentStatus.rawValue)
        w.key("shipped_at"); w.date(shippedAt)
        w.key("shipping_address"); shippingAddress.writeJSON(into: &w)
        w.key("shipping_amount"); w.string(shippingAmount.stringValue)
        w.key("status"); w.string(status.rawValue)
        w.key("subtotal"); w.string(subtotal.stringValue)
        w.key("tags")
        w.beginArray()
        for tag in tags {
            w.separator()
            w.string(tag)
        }
        w.endArray()
        w.key("tax_amount"); w.string(taxAmount.stringValue)
        w.key("total_amount"); w.string(totalAmount.stringValue)
        w.endObject()
    }

    /// The reference implementation of `canonicalText`: `JSONEncoder`, parse, sort.
    /// Slow (it dominated the pull); tests check the direct writer against it.
    public var encodedCanonicalText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding our own value types cannot fail (no floats, no non-string keys); the fallback
        // still yields a deterministic, order-specific text rather than a shared constant.
        guard let data = try? encoder.encode(self),
              let json = try? JSON.parse(String(decoding: data, as: UTF8.self)) else {
            return "unencodable:" + externalOrderId
        }
        return CanonicalJSON.serialize(json)
    }
}

extension UnifiedOrderItem {
    /// The members of `encode(to:)` in sorted key order, without the braces (the store
    /// prepends its own columns to the same object).
    public func writeJSONMembers(into w: inout JSONTextWriter) {
        w.key("discount_amount"); w.string(discountAmount.stringValue)
        w.key("external_product_id"); w.optionalString(externalProductId)
        w.key("external_variant_id"); w.optionalString(externalVariantId)
        w.key("fulfilled_quantity"); w.int(fulfilledQuantity)
        w.key("metadata"); w.canonicalObject(metadata)
        w.key("name"); w.string(name)
        w.key("quantity"); w.int(quantity)
        w.key("sku"); w.optionalString(sku)
        w.key("tax_amount"); w.string(taxAmount.stringValue)
        w.key("total_amount"); w.string(totalAmount.stringValue)
        w.key("unit_price"); w.string(unitPrice.stringValue)
    }
}

extension Address {
    /// `encode(to:)`'s members in sorted key order: the eight seed keys always, extras when set.
    public func writeJSON(into w: inout JSONTextWriter) {
        w.beginObject()
        w.key("city"); w.string(city)
        if let company { w.key("company"); w.string(company) }
        w.key("country"); w.string(country)
        if let email { w.key("email"); w.string(email) }
        if let landmark { w.key("landmark"); w.string(landmark) }
        w.key("line1"); w.string(line1)
        w.key("line2"); w.optionalString(line2)
        w.key("name"); w.string(name)
        w.key("phone"); w.optionalString(phone)
        w.key("postal_code"); w.string(postalCode)
        w.key("state"); w.string(state)
        w.endObject()
    }
}
