import Foundation
import Testing
@testable import GatewayModel

@Suite struct PhoneTests {
    @Test(arguments: [
        ("9876543210", "+919876543210"), ("09876543210", "+919876543210"), ("+91 98765 43210", "+919876543210"),
        ("91-98765-43210", "+919876543210"), ("+91 (987) 654-3210", "+919876543210"),
        ("0091 9876543210", "+919876543210"), ("+91-09876543210", "+919876543210"), ("919876543210", "+919876543210"),
        (" 6123456789 ", "+916123456789"), ("7000000001", "+917000000001"), ("98765.43210", "+919876543210"),
        ("+1 (415) 555-2671", "+14155552671"), ("+44 20 7946 0958", "+442079460958"), ("0044 20 7946 0958", "+442079460958"),
        ("+971 50 123 4567", "+971501234567"), ("+6512345678", "+6512345678"), ("9198765432", "+919198765432"),
    ])
    func normalizesValid(raw: String, e164: String) throws {
        let p = try #require(PhoneNumber.normalize(raw))
        #expect(p.e164 == e164)
    }

    @Test(arguments: [
        "", "   ", "abc", "98765", "987654321", "98765432101", "5876543210", "0000000000", "+00000000000",
        "+91 5876543210", "+91 98765", "+91987654321012", "22 2345 6789", "022 23456789", "+1234567", "+1234567890123456",
        "+0 123456789", "98765-4321x", "9876543210 ext 2", "+91 98765 4321O", "٩٨٧٦٥٤٣٢١٠", "９８７６５４３２１０",
        "+", "00", "++919876543210", String(repeating: "9", count: 50),
    ])
    func rejectsInvalid(raw: String) {
        #expect(PhoneNumber.normalize(raw) == nil)
    }

    @Test func nationalNumbersNeedIndianDefault() {
        #expect(PhoneNumber.normalize("9876543210", defaultCountry: "US") == nil)
        #expect(PhoneNumber.normalize("+14155552671", defaultCountry: "US")?.e164 == "+14155552671")
        #expect(PhoneNumber.normalize("9876543210", defaultCountry: "in")?.e164 == "+919876543210")
    }

    @Test func accessors() throws {
        let p = try #require(PhoneNumber.normalize("09876543210"))
        #expect(p.digits == "919876543210")
        #expect(p.indianNationalNumber == "9876543210")
        #expect(PhoneNumber.normalize("+14155552671")?.indianNationalNumber == nil)
    }

    @Test func normalizedTextKeepsUnreadableInput() {
        #expect(PhoneNumber.normalizedText(" 98765 43210 ") == "+919876543210")
        #expect(PhoneNumber.normalizedText("call me") == "call me")
        #expect(PhoneNumber.normalizedText("  ") == nil)
        #expect(PhoneNumber.normalizedText(nil) == nil)
    }

    struct Box: Codable { var phone: PhoneNumber }

    @Test func codableAsE164String() throws {
        let box = try JSONDecoder().decode(Box.self, from: Data(#"{"phone":"098765 43210"}"#.utf8))
        #expect(box.phone.e164 == "+919876543210")
        #expect(String(decoding: try JSONEncoder().encode(box), as: UTF8.self) == #"{"phone":"+919876543210"}"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(#"{"phone":"12"}"#.utf8)) }
    }
}
