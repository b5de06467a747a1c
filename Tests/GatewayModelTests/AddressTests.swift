import Foundation
import Testing
@testable import GatewayModel

@Suite struct AddressTests {
    static let full = Address(name: "Asha Rao", phone: "98765 43210", line1: "12 MG Road", line2: "Flat 4B",
                              city: "Bengaluru", state: "Karnataka", postalCode: "560 001", country: "India",
                              landmark: "Near Metro")

    @Test func normalizesOnInit() {
        let a = Self.full
        #expect(a.phone == "+919876543210")
        #expect(a.phoneNumber?.e164 == "+919876543210")
        #expect(a.country == "IN")
        #expect(a.postalCode == "560001")
        #expect(a.isComplete)
        #expect(a.missingFields.isEmpty)
        #expect(Address(phone: "n/a").phone == "n/a")
        #expect(Address(phone: "n/a").phoneNumber == nil)
        #expect(Address(country: nil).country == "IN")
        #expect(Address(country: " us ").country == "US")
        #expect(Address(line2: "  ").line2 == nil)
    }

    @Test(arguments: [
        ("12 MG Road", "Bengaluru", "560001", "IN", [String]()),
        ("", "Bengaluru", "560001", "IN", ["line1"]),
        ("12 MG Road", " ", "560001", "IN", ["city"]),
        ("12 MG Road", "Bengaluru", "", "IN", ["postal_code"]),
        ("12 MG Road", "Bengaluru", "056001", "IN", ["postal_code"]),
        ("12 MG Road", "Bengaluru", "56001", "IN", ["postal_code"]),
        ("12 MG Road", "Bengaluru", "5600011", "IN", ["postal_code"]),
        ("12 MG Road", "Bengaluru", "56OO01", "IN", ["postal_code"]),
        ("", "", "", "IN", ["line1", "city", "postal_code"]),
        ("1 Infinite Loop", "Cupertino", "95014", "US", [String]()),
        ("1 High St", "London", "SW1A 1AA", "GB", [String]()),
    ])
    func completeness(line1: String, city: String, pin: String, country: String, missing: [String]) {
        let a = Address(name: "X", line1: line1, city: city, postalCode: pin, country: country)
        #expect(a.missingFields == missing)
        #expect(a.isComplete == missing.isEmpty)
    }

    @Test func jsonShapeMatchesSeed() throws {
        let data = try JSONEncoder().encode(Self.full)
        let obj = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(obj.keys) == ["name", "phone", "line1", "line2", "city", "state", "postal_code", "country", "landmark"])
        #expect(obj["postal_code"] as? String == "560001")
        #expect(obj["phone"] as? String == "+919876543210")
        #expect(try JSONDecoder().decode(Address.self, from: data) == Self.full)

        let sparse = try JSONEncoder().encode(Address(name: "Y", line1: "L", city: "C", postalCode: "400001"))
        let sparseObj = try #require(try JSONSerialization.jsonObject(with: sparse) as? [String: Any])
        #expect(Set(sparseObj.keys) == ["name", "phone", "line1", "line2", "city", "state", "postal_code", "country"])
        #expect(sparseObj["phone"] is NSNull)
    }

    @Test func decodesSeedExampleLeniently() throws {
        let seed = #"{"name":"John Doe","phone":"9876543210","line1":"123 Main St","line2":"Apt 4B","city":"Mumbai","state":"Maharashtra","postal_code":"400001","country":"IN"}"#
        let a = try JSONDecoder().decode(Address.self, from: Data(seed.utf8))
        #expect(a.phone == "+919876543210")
        #expect(a.line2 == "Apt 4B")
        #expect(a.isComplete)
        let partial = try JSONDecoder().decode(Address.self, from: Data(#"{"city":"Pune"}"#.utf8))
        #expect(partial.line1 == "")
        #expect(partial.country == "IN")
        #expect(partial.missingFields == ["line1", "postal_code"])
    }
}
