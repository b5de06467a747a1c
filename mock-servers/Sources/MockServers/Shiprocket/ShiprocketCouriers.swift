/// The courier companies behind the Shiprocket mock, and their rate cards.
struct ShiprocketCourier: Sendable {
    let id: Int
    let name: String
    /// Minimum chargeable weight and slab size, grams.
    let slabGrams: Int64
    /// Freight per slab in paise for zones z_a...z_e.
    let perSlab: [Int64]
    let codMinimum: Int64
    /// COD fee in basis points of the order value.
    let codBP: Int64
    let isSurface: Bool
    let baseDays: Int
    let rating: String
    let deliveryPerformance: String
    let pickupPerformance: String
    let awbPrefix: String
    let awbLength: Int
    /// The courier's own scan-code style in tracking activities.
    let family: Family

    enum Family: Sendable { case delhivery, xpressbees, amazon, ecom }

    static let all: [ShiprocketCourier] = [
        ShiprocketCourier(id: 43, name: "Delhivery Surface", slabGrams: 500, perSlab: [3_300, 3_900, 4_600, 5_400, 7_200],
                          codMinimum: 3_500, codBP: 175, isSurface: true, baseDays: 3, rating: "4.9", deliveryPerformance: "5",
                          pickupPerformance: "4.7", awbPrefix: "19041", awbLength: 14, family: .delhivery),
        ShiprocketCourier(id: 51, name: "Xpressbees Surface", slabGrams: 500, perSlab: [3_100, 3_700, 4_400, 5_200, 6_900],
                          codMinimum: 3_000, codBP: 150, isSurface: true, baseDays: 4, rating: "4.5", deliveryPerformance: "4.4",
                          pickupPerformance: "4.6", awbPrefix: "14112", awbLength: 15, family: .xpressbees),
        ShiprocketCourier(id: 142, name: "Amazon Surface", slabGrams: 500, perSlab: [3_500, 4_100, 4_900, 5_600, 7_600],
                          codMinimum: 3_200, codBP: 160, isSurface: true, baseDays: 3, rating: "4.6", deliveryPerformance: "4.8",
                          pickupPerformance: "4.3", awbPrefix: "32105", awbLength: 12, family: .amazon),
        ShiprocketCourier(id: 19, name: "Ecom Express Surface 2kg", slabGrams: 2_000, perSlab: [9_800, 11_200, 12_900, 15_012, 17_900],
                          codMinimum: 3_900, codBP: 180, isSurface: true, baseDays: 5, rating: "4.62", deliveryPerformance: "5",
                          pickupPerformance: "4.5", awbPrefix: "70645", awbLength: 13, family: .ecom),
    ]

    static let recommendedID = 43

    static func find(_ id: Int) -> ShiprocketCourier? { all.first { $0.id == id } }

    /// z_a same city, z_b same state, z_c metro to metro, z_e north-east / J&K / islands, else z_d.
    static func zone(from pickup: String, to delivery: String) -> Int {
        let special = ["78", "79", "18", "19", "744"]
        if special.contains(where: { delivery.hasPrefix($0) || pickup.hasPrefix($0) }) { return 4 }
        let a = CourierGeo.city(forPin: pickup), b = CourierGeo.city(forPin: delivery)
        if a.name == b.name { return 0 }
        if a.state == b.state { return 1 }
        let metros: Set<String> = ["Mumbai", "New Delhi", "Bengaluru", "Chennai", "Kolkata", "Hyderabad"]
        return metros.contains(a.name) && metros.contains(b.name) ? 2 : 3
    }

    struct Quote: Sendable {
        let courier: ShiprocketCourier
        let zone: Int
        let chargeGrams: Int64
        let freight: Int64
        let cod: Int64
        var total: Int64 { freight + cod }
        var rto: Int64 { freight }
        var etdHours: Int { (courier.baseDays + zone) * 24 - 5 }
    }

    func quote(pickup: String, delivery: String, weightGrams: Int64, cod: Bool, declaredValue: Int64) -> Quote {
        let zone = Self.zone(from: pickup, to: delivery)
        let slabs = max(1, (max(weightGrams, 1) + slabGrams - 1) / slabGrams)
        let freight = perSlab[zone] * slabs
        let codFee = cod ? max(codMinimum, Minor.mulDiv(declaredValue, codBP, 10_000)) : 0
        return Quote(courier: self, zone: zone, chargeGrams: slabs * slabGrams, freight: freight, cod: codFee)
    }

    /// Numeric AWB in the courier's length, unique per mock (sequence + seed).
    func awb(sequence: Int64, seed: UInt64) -> String {
        var g = SplitMix64.derive(seed: seed, stream: 0xA_3B, index: UInt64(sequence))
        var digits = String(sequence)
        let room = awbLength - awbPrefix.count
        while digits.count < room - 3 { digits = "0" + digits }
        return String((awbPrefix + g.digits(3) + digits).prefix(awbLength))
    }
}
