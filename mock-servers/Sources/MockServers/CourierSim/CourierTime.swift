import Foundation

/// The date formats Indian couriers write, all in IST without a zone suffix.
public enum CourierTime {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "2025-01-15T14:23:45" in IST (Delhivery's ScanDateTime, no offset).
    public static func isoLocal(_ epoch: Int64) -> String {
        String(Timestamp.format(epoch, offsetSeconds: Timestamp.istOffsetSeconds).prefix(19))
    }

    /// "2025-01-15T14:23:45.123": Delhivery often carries milliseconds; they are
    /// derived from the epoch so the same event always renders the same.
    public static func isoLocalMillis(_ epoch: Int64, salt: UInt64) -> String {
        var g = SplitMix64(seed: UInt64(bitPattern: epoch) ^ salt)
        let ms = g.int(0...999)
        return isoLocal(epoch) + "." + Timestamp.pad(ms, 3)
    }

    /// "2025-01-15 14:23:45" (Shiprocket's dates).
    public static func dateTime(_ epoch: Int64) -> String {
        isoLocal(epoch).replacingOccurrences(of: "T", with: " ")
    }

    /// "15 01 2025 14:23:45" (Shiprocket webhook current_timestamp: DD MM YYYY HH:mm:ss).
    public static func dayMonthYear(_ epoch: Int64) -> String {
        let s = Array(isoLocal(epoch))
        let y = String(s[0..<4]), m = String(s[5..<7]), d = String(s[8..<10]), time = String(s[11..<19])
        return d + " " + m + " " + y + " " + time
    }

    /// "Jul 01, 2024" (Shiprocket serviceability etd).
    public static func monthDayYear(_ epoch: Int64) -> String {
        let s = Array(isoLocal(epoch))
        let month = Int(String(s[5..<7])) ?? 1
        return months[max(0, min(11, month - 1))] + " " + String(s[8..<10]) + ", " + String(s[0..<4])
    }

    /// "2025-01-15" in IST.
    public static func date(_ epoch: Int64) -> String { String(isoLocal(epoch).prefix(10)) }

    /// "12 Mar 2021, 04:16 PM" (Shiprocket NDR created_at).
    public static func shortDisplay(_ epoch: Int64) -> String {
        let s = Array(isoLocal(epoch))
        let month = Int(String(s[5..<7])) ?? 1
        let hour = Int(String(s[11..<13])) ?? 0
        let h12 = hour % 12 == 0 ? 12 : hour % 12
        return String(s[8..<10]) + " " + months[max(0, min(11, month - 1))] + " " + String(s[0..<4]) + ", "
            + Timestamp.pad(h12, 2) + ":" + String(s[14..<16]) + (hour < 12 ? " AM" : " PM")
    }

    /// End of the IST day of `epoch` ("2025-01-17T23:59:59"), Delhivery's promised dates.
    public static func endOfDayLocal(_ epoch: Int64) -> String { date(epoch) + "T23:59:59" }
}
