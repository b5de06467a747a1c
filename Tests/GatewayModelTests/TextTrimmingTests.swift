import GatewayModel
import Testing

@Suite("Text trimming and ASCII case folding")
struct TextTrimmingTests {
    @Test(arguments: [
        ("AWB123", "AWB123"), ("  AWB123\r\n", "AWB123"), ("\t\n", ""), ("", ""), (" a b ", "a b"), ("\u{00A0}x\u{00A0}", "\u{00A0}x\u{00A0}"),
    ])
    func asciiTrimming(_ input: String, _ expected: String) {
        #expect(input.trimmingASCIIWhitespace() == expected)
    }

    @Test(arguments: [
        ("Delivered", "Delivered"), ("  In Transit \n", "In Transit"), ("\u{00A0}Pending\u{2003}", "Pending"), ("मुंबई ", "मुंबई"), (" ", ""),
    ])
    func unicodeTrimming(_ input: String, _ expected: String) {
        #expect(input.trimmingWhitespace() == expected)
    }

    @Test func caseFoldingIsASCIIOnly() {
        #expect("X-Api-Key".equalsIgnoringASCIICase("x-api-key"))
        #expect("NULL".equalsIgnoringASCIICase("null"))
        #expect(!"null ".equalsIgnoringASCIICase("null"))
        #expect(!"EOD-11".equalsIgnoringASCIICase("EOD-12"))
        #expect(!"[".equalsIgnoringASCIICase("{"))   // 0x5B and 0x7B differ by the case bit but are not letters
        #expect("ÄB".equalsIgnoringASCIICase("Äb") && !"Ä".equalsIgnoringASCIICase("ä"))
    }

    @Test(arguments: [
        ("consignee not available", "not available", true), ("consignee not available", "not availablee", false),
        ("rto", "rto", true), ("", "x", false), ("abc", "", true), ("aaab", "aab", true), ("ग्राहक उपलब्ध नहीं", "उपलब्ध", true),
        ("scanned", " cna ", false),
    ])
    func byteSearch(_ haystack: String, _ needle: String, _ expected: Bool) {
        #expect(haystack.containsUTF8(needle) == expected)
        // The same answer as the standard library's search for these (normalized) texts.
        #expect(needle.isEmpty || haystack.contains(needle) == expected)
    }
}
