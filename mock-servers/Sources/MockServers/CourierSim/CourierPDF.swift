import Foundation

/// A one-page PDF with a few text lines: what label and manifest URLs serve,
/// so a client that downloads the document gets a real (if plain) PDF.
public enum CourierPDF {
    public static func document(lines: [String]) -> [UInt8] {
        func escape(_ s: String) -> String {
            String(s.unicodeScalars.map { $0.isASCII ? Character($0) : "?" })
                .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
        }
        var text = "BT /F1 11 Tf 36 380 Td 14 TL\n"
        for line in lines { text += "(" + escape(line) + ") '\n" }
        text += "ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(text.utf8.count) >>\nstream\n\(text)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for off in offsets {
            var s = String(off)
            while s.count < 10 { s = "0" + s }
            out += s + " 00000 n \n"
        }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    public static func response(lines: [String]) -> MockResponse {
        MockResponse(status: 200, headers: [("Content-Type", "application/pdf")], body: document(lines: lines))
    }
}
