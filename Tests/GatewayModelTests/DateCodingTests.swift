import Foundation
import Testing
@testable import GatewayModel

@Suite struct DateCodingTests {
    @Test(arguments: [
        ("2024-01-15T10:30:00+05:30", 1_705_294_800.0), ("2024-01-15T05:00:00Z", 1_705_294_800.0),
        ("2024-01-15T05:00:00z", 1_705_294_800.0), ("2024-01-15 05:00:00Z", 1_705_294_800.0),
        ("2024-01-15T05:00Z", 1_705_294_800.0), ("2024-01-15T10:30:00+0530", 1_705_294_800.0),
        ("2024-01-15T00:00:00-05:00", 1_705_294_800.0), ("2024-01-15T10:00:00+05", 1_705_294_800.0),
        ("2024-01-15T05:00:00.5Z", 1_705_294_800.5), ("2024-01-15T05:00:00.123456Z", 1_705_294_800.123456),
        ("2024-01-15T05:00:00.123456789Z", 1_705_294_800.123456789), ("1970-01-01T00:00:00Z", 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800), ("1969-12-31T23:59:59Z", -1),
    ])
    func parses(text: String, epoch: Double) throws {
        let d = try #require(DateCoding.parse(text))
        #expect(abs(d.timeIntervalSince1970 - epoch) < 1e-6)
    }

    @Test(arguments: [
        "", "2024-01-15", "2024-01-15T10:30:00", "2024-1-15T10:30:00Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z", "2024-01-15T24:00:00Z", "2024-01-15T10:60:00Z", "2024-01-15T10:30:61Z",
        "2024-01-15T10:30:00.Z", "2024-01-15T10:30:00+5:30", "2024-01-15T10:30:00+05:3", "2024-01-15T10:30:00Zjunk",
        "2024-01-15T10:30:00+19:00", "15/01/2024 10:30", "tomorrow", "2024-01-15T10:30:00 +05:30",
    ])
    func rejects(text: String) {
        #expect(DateCoding.parse(text) == nil)
    }

    @Test func localTimeNeedsAZone() throws {
        let ist = try #require(TimeZone(identifier: "Asia/Kolkata"))
        #expect(DateCoding.parse("2024-01-15 10:30:00") == nil)
        #expect(DateCoding.parse("2024-01-15 10:30:00", defaultTimeZone: ist) == DateCoding.parse("2024-01-15T05:00:00Z"))
        let ny = try #require(TimeZone(identifier: "America/New_York"))
        #expect(DateCoding.parse("2024-07-01T12:00:00", defaultTimeZone: ny) == DateCoding.parse("2024-07-01T16:00:00Z"))
        #expect(DateCoding.parse("2024-01-01T12:00:00", defaultTimeZone: ny) == DateCoding.parse("2024-01-01T17:00:00Z"))
    }

    @Test(arguments: [
        (1_705_294_800.0, "2024-01-15T05:00:00Z"), (1_705_294_800.25, "2024-01-15T05:00:00.250Z"),
        (1_705_294_800.123456, "2024-01-15T05:00:00.123456Z"), (0, "1970-01-01T00:00:00Z"),
        (-0.5, "1969-12-31T23:59:59.500Z"), (951_782_400, "2000-02-29T00:00:00Z"), (4_102_444_799, "2099-12-31T23:59:59Z"),
    ])
    func formats(epoch: Double, text: String) throws {
        let d = Date(timeIntervalSince1970: epoch)
        #expect(DateCoding.format(d) == text)
        let back = try #require(DateCoding.parse(text))
        #expect(abs(back.timeIntervalSince1970 - epoch) < 1e-6)
    }

    @Test func roundTripsManyInstants() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<2000 {
            let micros = Int64.random(in: -2_000_000_000_000_000...4_000_000_000_000_000, using: &rng)
            let d = Date(timeIntervalSince1970: Double(micros) / 1e6)
            let text = DateCoding.format(d)
            let back = try #require(DateCoding.parse(text))
            #expect(abs(back.timeIntervalSince1970 - d.timeIntervalSince1970) < 1e-6, "\(text)")
            #expect(DateCoding.format(back) == text)
        }
    }

    @Test func calendarDate() throws {
        #expect(CalendarDate(string: "2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDate(string: "2023-02-29") == nil)
        #expect(CalendarDate(string: "2024-2-01") == nil)
        #expect(CalendarDate(string: "2024-02-01T00:00") == nil)
        let d = try #require(CalendarDate(year: 2024, month: 12, day: 31))
        #expect(d.adding(days: 1).description == "2025-01-01")
        #expect(d.adding(days: -366).description == "2023-12-31")
        #expect(d < d.adding(days: 1))
        struct Box: Codable, Equatable { var due: CalendarDate }
        let data = try JSONEncoder().encode(Box(due: d))
        #expect(String(decoding: data, as: UTF8.self) == #"{"due":"2024-12-31"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: data) == Box(due: d))
    }
}
