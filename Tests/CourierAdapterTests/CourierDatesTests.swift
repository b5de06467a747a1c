import AdapterKit
import Foundation
import GatewayModel
import Testing

@Suite("Courier dates (IST)")
struct CourierDatesTests {
    /// Every form Indian couriers write, read as IST unless it names a zone.
    @Test(arguments: [
        ("2024-01-15 10:30:00", "2024-01-15T05:00:00Z"),
        ("2024-01-15T10:30:00", "2024-01-15T05:00:00Z"),
        ("2024-01-15T10:30:00.000", "2024-01-15T05:00:00Z"),
        ("2024-01-15T10:30:00.57", "2024-01-15T05:00:00.570Z"),
        ("2024-01-15 10:30", "2024-01-15T05:00:00Z"),
        ("2024-01-15T10:30:00+05:30", "2024-01-15T05:00:00Z"),
        ("2024-01-15T10:30:00Z", "2024-01-15T10:30:00Z"),
        ("15 01 2024 10:30:00", "2024-01-15T05:00:00Z"),
        ("15-01-2024 10:30", "2024-01-15T05:00:00Z"),
        ("15/01/2024", "2024-01-14T18:30:00Z"),
        ("15 Jan 2024 10:30", "2024-01-15T05:00:00Z"),
        ("15 January 2024, 10:30:00", "2024-01-15T05:00:00Z"),
        ("15 Jan 2024, 04:16 PM", "2024-01-15T10:46:00Z"),
        ("15 Jan 2024, 12:05 AM", "2024-01-14T18:35:00Z"),
        ("15 JAN 2024 04:16 pm", "2024-01-15T10:46:00Z"),
        ("15 01 2024 10:30:00.250", "2024-01-15T05:00:00.250Z"),
        ("Jan 15, 2024", "2024-01-14T18:30:00Z"),
        ("Sept 01, 2024 10:30", "2024-09-01T05:00:00Z"),
        ("2024/01/15 10:30:00", "2024-01-15T05:00:00Z"),
        ("  2024-01-15 10:30:00 ", "2024-01-15T05:00:00Z"),
    ])
    func parses(_ text: String, _ utc: String) throws {
        let date = try #require(CourierDates.parse(text), "\(text)")
        #expect(DateCoding.format(date) == utc, "\(text)")
    }

    @Test(arguments: ["", "NA", "null", "31 02 2024 10:00:00", "2024-13-01 10:00", "15 Jan", "15 Foo 2024", "25:00 15 01 2024",
                      "15 01 2024 24:00:00", "15 01 2024 10:61", "15 01 2024 10:30 XM", "15 01 2024 1O:30", "15 Jan 2024 13:00 PM", "0000-01-01 00:00"])
    func rejects(_ text: String) {
        #expect(CourierDates.parse(text) == nil, "\(text)")
    }

    @Test func istIsFixedAndDayIsLocal() {
        #expect(CourierDates.ist.secondsFromGMT(for: Date()) == 19_800)
        // 20:00 UTC on the 15th is already the 16th in India.
        let late = Date(timeIntervalSince1970: 1_705_348_800)  // 2024-01-15T20:00:00Z
        #expect(CourierDates.istDay(late).description == "2024-01-16")
    }
}
