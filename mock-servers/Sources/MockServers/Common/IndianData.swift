/// Indian test data: names, addresses with real city/state/PIN combinations,
/// and mobile numbers in the messy raw formats buyers actually type.
public enum IndianData {
    public struct City: Sendable {
        public let name: String
        public let state: String
        /// Shopify's province_code (ISO 3166-2:IN suffix as Shopify uses it).
        public let stateCode: String
        /// First four digits of the city's PIN codes.
        public let pinPrefix: String
    }

    public static let cities: [City] = [
        City(name: "Mumbai", state: "Maharashtra", stateCode: "MH", pinPrefix: "4000"),
        City(name: "Pune", state: "Maharashtra", stateCode: "MH", pinPrefix: "4110"),
        City(name: "Nagpur", state: "Maharashtra", stateCode: "MH", pinPrefix: "4400"),
        City(name: "Bengaluru", state: "Karnataka", stateCode: "KA", pinPrefix: "5600"),
        City(name: "Mysuru", state: "Karnataka", stateCode: "KA", pinPrefix: "5700"),
        City(name: "New Delhi", state: "Delhi", stateCode: "DL", pinPrefix: "1100"),
        City(name: "Chennai", state: "Tamil Nadu", stateCode: "TN", pinPrefix: "6000"),
        City(name: "Coimbatore", state: "Tamil Nadu", stateCode: "TN", pinPrefix: "6410"),
        City(name: "Kolkata", state: "West Bengal", stateCode: "WB", pinPrefix: "7000"),
        City(name: "Hyderabad", state: "Telangana", stateCode: "TS", pinPrefix: "5000"),
        City(name: "Ahmedabad", state: "Gujarat", stateCode: "GJ", pinPrefix: "3800"),
        City(name: "Surat", state: "Gujarat", stateCode: "GJ", pinPrefix: "3950"),
        City(name: "Jaipur", state: "Rajasthan", stateCode: "RJ", pinPrefix: "3020"),
        City(name: "Lucknow", state: "Uttar Pradesh", stateCode: "UP", pinPrefix: "2260"),
        City(name: "Noida", state: "Uttar Pradesh", stateCode: "UP", pinPrefix: "2013"),
        City(name: "Gurugram", state: "Haryana", stateCode: "HR", pinPrefix: "1220"),
        City(name: "Kochi", state: "Kerala", stateCode: "KL", pinPrefix: "6820"),
        City(name: "Thiruvananthapuram", state: "Kerala", stateCode: "KL", pinPrefix: "6950"),
        City(name: "Ludhiana", state: "Punjab", stateCode: "PB", pinPrefix: "1410"),
        City(name: "Indore", state: "Madhya Pradesh", stateCode: "MP", pinPrefix: "4520"),
        City(name: "Patna", state: "Bihar", stateCode: "BR", pinPrefix: "8000"),
        City(name: "Guwahati", state: "Assam", stateCode: "AS", pinPrefix: "7810"),
        City(name: "Bhubaneswar", state: "Odisha", stateCode: "OR", pinPrefix: "7510"),
        City(name: "Visakhapatnam", state: "Andhra Pradesh", stateCode: "AP", pinPrefix: "5300"),
        City(name: "Chandigarh", state: "Chandigarh", stateCode: "CH", pinPrefix: "1600"),
    ]

    public static let firstNames: [String] = [
        "Aarav", "Vivaan", "Aditya", "Arjun", "Rohan", "Rahul", "Karthik", "Siddharth", "Manish", "Suresh",
        "Rajesh", "Amit", "Vikram", "Nikhil", "Harsh", "Yash", "Pranav", "Ankit", "Deepak", "Mohammed",
        "Priya", "Ananya", "Diya", "Isha", "Kavya", "Sneha", "Pooja", "Neha", "Aishwarya", "Lakshmi",
        "Meera", "Riya", "Sanya", "Divya", "Shreya", "Fatima", "Harpreet", "Gurpreet", "Nandini", "Swati",
    ]

    public static let lastNames: [String] = [
        "Sharma", "Verma", "Gupta", "Patel", "Shah", "Reddy", "Iyer", "Nair", "Menon", "Rao",
        "Kumar", "Singh", "Das", "Banerjee", "Chatterjee", "Mukherjee", "Joshi", "Kulkarni", "Deshpande", "Pillai",
        "Khan", "Ansari", "Gill", "Sandhu", "Agarwal", "Jain", "Mehta", "Bhat", "Naidu", "Yadav",
    ]

    static let streets: [String] = [
        "MG Road", "Station Road", "Nehru Nagar", "Gandhi Chowk", "Linking Road", "Park Street",
        "Anna Salai", "Brigade Road", "Ring Road", "Civil Lines", "Sector 18", "Banjara Hills Road No. 12",
        "FC Road", "SV Road", "Ashok Nagar", "Rajaji Nagar 2nd Block",
    ]

    static let buildings: [String] = [
        "Sai Krupa Apartments", "Shanti Niketan", "Green Park Residency", "Lakshmi Towers", "Om Heights",
        "Prestige Lakeside", "Gokul Dham Society", "Sunrise Enclave", "Royal Palms", "Shree Ganesh Complex",
    ]

    static let landmarks: [String] = [
        "Near Hanuman Mandir", "Opp. SBI ATM", "Behind Big Bazaar", "Near Bus Stand", "Opp. Govt School",
        "Near Reliance Fresh", "Next to Apollo Pharmacy", "Near Metro Station",
    ]

    public struct Person: Sendable {
        public let firstName: String
        public let lastName: String
        public var fullName: String { firstName + " " + lastName }
    }

    public struct Address: Sendable {
        public let line1: String
        public let line2: String?
        public let city: City
        public let pin: String
    }

    public static func person(_ g: inout SplitMix64) -> Person {
        Person(firstName: g.pick(firstNames), lastName: g.pick(lastNames))
    }

    public static func address(_ g: inout SplitMix64) -> Address {
        let city = g.pick(cities)
        let line1: String
        switch g.int(0...2) {
        case 0: line1 = "Flat \(g.int(1...14))0\(g.int(1...8)), \(g.pick(buildings))"
        case 1: line1 = "\(g.int(1...250)), \(g.pick(streets))"
        default: line1 = "House No. \(g.int(1...999))/\(g.int(1...40)), \(g.pick(streets))"
        }
        let line2: String? = g.chance(0.6) ? g.pick(landmarks) : nil
        let pin = city.pinPrefix + twoDigits(g.int(1...99))
        return Address(line1: line1, line2: line2, city: city, pin: pin)
    }

    /// Ten-digit Indian mobile number (starts with 6-9).
    public static func mobile(_ g: inout SplitMix64) -> String {
        String(g.int(6...9)) + g.digits(9)
    }

    /// The raw way a buyer typed it: "9876543210", "+91 98765 43210",
    /// "09876543210", "+919876543210", "98765-43210", "+91-9876543210".
    public static func rawPhone(_ mobile: String, style: Int) -> String {
        let a = String(mobile.prefix(5))
        let b = String(mobile.suffix(5))
        switch style % 6 {
        case 0: return mobile
        case 1: return "+91 " + a + " " + b
        case 2: return "0" + mobile
        case 3: return "+91" + mobile
        case 4: return a + "-" + b
        default: return "+91-" + mobile
        }
    }

    public static func e164(_ mobile: String) -> String { "+91" + mobile }

    public static func email(_ p: Person, _ g: inout SplitMix64) -> String {
        let domains = ["gmail.com", "yahoo.co.in", "outlook.com", "rediffmail.com", "hotmail.com"]
        return p.firstName.lowercased() + "." + p.lastName.lowercased() + String(g.int(1...999)) + "@" + g.pick(domains)
    }
}

extension IndianData {
    static func twoDigits(_ v: Int) -> String { v < 10 ? "0" + String(v) : String(v) }
}
