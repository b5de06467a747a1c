/// A postal address, in the seed's JSONB shape:
/// `{name, phone, line1, line2, city, state, postal_code, country}` plus optional
/// `email`, `company`, `landmark` (Indian couriers use landmark heavily).
///
/// The initializer and the decoder normalize: phone to E.164 when it can be read (otherwise the
/// raw text is kept for an operator to fix), country to ISO 3166 alpha-2 ("IN" when absent),
/// spaces removed from Indian PIN codes ("400 001" -> "400001").
public struct Address: Sendable, Hashable {
    public var name: String
    public var phone: String?
    public var line1: String
    public var line2: String?
    public var city: String
    public var state: String
    public var postalCode: String
    public var country: String
    public var email: String?
    public var company: String?
    public var landmark: String?

    public init(name: String = "", phone: String? = nil, line1: String = "", line2: String? = nil,
                city: String = "", state: String = "", postalCode: String = "", country: String? = "IN",
                email: String? = nil, company: String? = nil, landmark: String? = nil) {
        self.name = name.trimmingASCIIWhitespace()
        self.phone = PhoneNumber.normalizedText(phone)
        self.line1 = line1.trimmingASCIIWhitespace()
        self.line2 = Address.nonBlank(line2)
        self.city = city.trimmingASCIIWhitespace()
        self.state = state.trimmingASCIIWhitespace()
        self.country = Address.normalizeCountry(country)
        self.postalCode = Address.normalizePostalCode(postalCode, country: self.country)
        self.email = Address.nonBlank(email)
        self.company = Address.nonBlank(company)
        self.landmark = Address.nonBlank(landmark)
    }

    /// The phone as a validated number, when it normalized.
    public var phoneNumber: PhoneNumber? { phone.flatMap { PhoneNumber.normalize($0) } }

    /// Enough for a courier to attempt delivery: line1, city and postal code present, and for
    /// India a valid PIN (six digits, not starting with 0). Used for NDR incomplete-address hints.
    public var isComplete: Bool { missingFields.isEmpty }

    /// JSON key names of the fields that make the address incomplete, e.g. ["line1", "postal_code"].
    public var missingFields: [String] {
        var missing: [String] = []
        if line1.isEmpty { missing.append("line1") }
        if city.isEmpty { missing.append("city") }
        if postalCode.isEmpty || (country == "IN" && !Address.isValidIndianPIN(postalCode)) {
            missing.append("postal_code")
        }
        return missing
    }

    /// Six ASCII digits, first 1-9 (PIN zones are 1-9; there is no zone 0).
    public static func isValidIndianPIN(_ pin: String) -> Bool {
        let u = Array(pin.utf8)
        return u.count == 6 && u.allSatisfy { $0 >= 48 && $0 <= 57 } && u[0] != 48
    }

    static func normalizeCountry(_ raw: String?) -> String {
        let t = (raw ?? "").trimmingASCIIWhitespace()
        if t.isEmpty { return "IN" }
        let upper = t.uppercased()
        if upper == "INDIA" || upper == "BHARAT" || upper == "IND" { return "IN" }
        if upper.count == 2, upper.allSatisfy({ $0.isASCII && $0.isLetter }) { return upper }
        return t  // unknown spelling: keep it rather than guess
    }

    static func normalizePostalCode(_ raw: String, country: String) -> String {
        let t = raw.trimmingASCIIWhitespace()
        if country == "IN" {
            let compact = t.filter { $0 != " " }
            if isValidIndianPIN(compact) { return compact }
        }
        return t
    }

    static func nonBlank(_ s: String?) -> String? {
        guard let t = s?.trimmingASCIIWhitespace(), !t.isEmpty else { return nil }
        return t
    }
}

extension Address: Codable {
    enum CodingKeys: String, CodingKey {
        case name, phone, line1, line2, city, state
        case postalCode = "postal_code"
        case country, email, company, landmark
    }

    /// Lenient: channel addresses often miss fields; a missing string decodes as "".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func str(_ k: CodingKeys) throws -> String { try c.decodeIfPresent(String.self, forKey: k) ?? "" }
        func opt(_ k: CodingKeys) throws -> String? { try c.decodeIfPresent(String.self, forKey: k) }
        self.init(name: try str(.name), phone: try opt(.phone), line1: try str(.line1), line2: try opt(.line2),
                  city: try str(.city), state: try str(.state), postalCode: try str(.postalCode),
                  country: try opt(.country), email: try opt(.email), company: try opt(.company),
                  landmark: try opt(.landmark))
    }

    /// The eight seed keys are always written (null when absent) so the JSONB shape is stable;
    /// the optional extras only when present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(phone, forKey: .phone)
        try c.encode(line1, forKey: .line1)
        try c.encode(line2, forKey: .line2)
        try c.encode(city, forKey: .city)
        try c.encode(state, forKey: .state)
        try c.encode(postalCode, forKey: .postalCode)
        try c.encode(country, forKey: .country)
        try c.encodeIfPresent(email, forKey: .email)
        try c.encodeIfPresent(company, forKey: .company)
        try c.encodeIfPresent(landmark, forKey: .landmark)
    }
}
