import Foundation
import Testing
@testable import GatewayModel

@Suite struct MoneyTests {
    @Test(arguments: [
        ("1299", "1299.00"), ("1299.5", "1299.50"), ("1,299.50", "1299.50"), ("12,99,000.50", "1299000.50"),
        ("1,299,000", "1299000.00"), ("1,23,45,678.9", "12345678.90"), (" 42 ", "42.00"), ("-5.5", "-5.50"),
        ("+7", "7.00"), ("0.10", "0.10"), ("0.1", "0.10"), ("007", "7.00"), ("0", "0.00"), ("-0", "0.00"),
        ("12345678901.23", "12345678901.23"), ("79228162514264337593543950335", "79228162514264337593543950335.00"),
        ("0.005", "0.01"), ("1.004", "1.00"),
    ])
    func parsesAndFormats(input: String, expected: String) throws {
        let m = try #require(Money(string: input))
        #expect(m.stringValue == expected)
        #expect(m.description == expected)
    }

    @Test(arguments: [
        "", " ", "abc", "12abc", "1e5", "1E5", "1.5e2", "NaN", "nan", "Infinity", "-inf", "-", "+", ".", ".5", "5.",
        "1.2.3", "1,2345", "12,34", "123,45,678", ",123", "123,", "1,,234", "1 299", "₹1299", "Rs 1299", "1299 INR",
        "--5", "+-5", "١٢٣", "１２３", "0x10", "1_000", "12.3,4", "1.234,56",
        String(repeating: "9", count: 39),
    ])
    func rejectsGarbage(input: String) {
        #expect(Money(string: input) == nil)
    }

    @Test func keepsFullPrecisionUntilRounded() throws {
        let m = try #require(Money(string: "0.005"))
        #expect(m.amount == Decimal(string: "0.005", locale: Locale(identifier: "en_US_POSIX")))
        #expect(m.rounded().amount == Decimal(string: "0.01", locale: Locale(identifier: "en_US_POSIX")))
    }

    @Test(arguments: [
        ("1.005", "1.01"), ("-1.005", "-1.01"), ("2.675", "2.68"), ("1.004", "1.00"), ("0.125", "0.13"),
        ("99.995", "100.00"), ("-0.004", "0.00"), ("-0.005", "-0.01"), ("1299.99", "1299.99"), ("10", "10.00"),
    ])
    func roundsHalfAwayFromZero(input: String, expected: String) throws {
        let r = try #require(Money(string: input)).rounded()
        #expect(r.stringValue == expected)
        #expect(r == Money(string: expected))
    }

    @Test func minorUnits() throws {
        #expect(Money(minorUnits: 129950) == Money(string: "1299.50"))
        #expect(Money(minorUnits: -5).stringValue == "-0.05")
        #expect(Money(minorUnits: 0) == .zero)
        #expect(Money(minorUnits: 10).stringValue == "0.10")
        #expect(try #require(Money(string: "1299.505")).minorUnits == 129951)
        #expect(try #require(Money(string: "-12.3")).minorUnits == -1230)
        #expect(Money(minorUnits: Int.max).minorUnits == Int.max)
    }

    @Test func decimalArithmeticIsExact() throws {
        let a = try #require(Money(string: "0.1")), b = try #require(Money(string: "0.2"))
        #expect(a + b == Money(string: "0.3"))
        #expect(try #require(Money(string: "19.99")) * 3 == Money(string: "59.97"))
        #expect(3 * Money(minorUnits: 1999) == Money(string: "59.97"))
        #expect([a, b, Money(minorUnits: 70)].sum() == Money(string: "1.00"))
        #expect(-a == Money(string: "-0.1"))
        #expect(a - b == Money(string: "-0.10"))
        #expect(a < b)
        #expect((b - a - a).isZero)
    }

    @Test func equalValuesHashAlike() throws {
        let a = try #require(Money(string: "1.5")), b = try #require(Money(string: "1.50"))
        #expect(a == b)
        #expect(Set([a, b, Money(minorUnits: 150)]).count == 1)
        #expect(Money(string: "1.5") != Money(string: "1.51"))
    }

    struct Box: Codable, Equatable { var price: Money }

    @Test func encodesTwoDecimalString() throws {
        let data = try JSONEncoder().encode(Box(price: try #require(Money(string: "1299"))))
        #expect(String(decoding: data, as: UTF8.self) == #"{"price":"1299.00"}"#)
        let neg = try JSONEncoder().encode(Box(price: Money(minorUnits: -550)))
        #expect(String(decoding: neg, as: UTF8.self) == #"{"price":"-5.50"}"#)
    }

    // The exactness cases: JSON numbers must not pass through Double.
    @Test(arguments: [
        ("0.1", "0.10"), ("1299.99", "1299.99"), ("12345678901.23", "12345678901.23"),
        ("79228162514264337593543950335", "79228162514264337593543950335.00"),
        ("0.30000000000000004", "0.30"), ("123456789012345678.99", "123456789012345678.99"), ("-0.07", "-0.07"),
    ])
    func decodesJSONNumbersExactly(number: String, expected: String) throws {
        let box = try JSONDecoder().decode(Box.self, from: Data(#"{"price": \#(number)}"#.utf8))
        #expect(box.price.stringValue == expected)
        #expect(box.price.amount == Decimal(string: number, locale: Locale(identifier: "en_US_POSIX")))
    }

    @Test(arguments: ["0.1", "1299.99", "12345678901.23", "79228162514264337593543950335", "1,299.50"])
    func decodesStrings(text: String) throws {
        let box = try JSONDecoder().decode(Box.self, from: Data(#"{"price": "\#(text)"}"#.utf8))
        #expect(box.price == Money(string: text))
        let again = try JSONDecoder().decode(Box.self, from: JSONEncoder().encode(box))
        #expect(again.price == box.price.rounded())
    }

    @Test(arguments: [#""abc""#, #""1e5""#, #""NaN""#, "true", "null", "[1]"])
    func rejectsBadJSON(value: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Box.self, from: Data(#"{"price": \#(value)}"#.utf8))
        }
    }
}
