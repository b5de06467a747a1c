import Foundation

/// The filters of GET orders.json and the opaque page_info cursor that
/// carries them, so later pages ignore everything but limit and fields.
struct ShopifyOrderFilter: Sendable, Equatable {
    var status = "open"
    var createdMin: Int64?
    var createdMax: Int64?
    var updatedMin: Int64?
    var updatedMax: Int64?
    var processedMin: Int64?
    var processedMax: Int64?
    var sinceID: Int64?
    var ids: [Int64]?
    var financialStatus: String?
    var fulfillmentStatus: String?
    /// created_at (default), updated_at, processed_at or id.
    var sortField = "created_at"
    var ascending = false

    static let filterParams: Set<String> = [
        "status", "created_at_min", "created_at_max", "updated_at_min", "updated_at_max", "processed_at_min",
        "processed_at_max", "since_id", "ids", "financial_status", "fulfillment_status", "order", "attribution_app_id",
    ]

    /// Parses the first-page parameters; returns the offending parameter on error.
    static func parse(_ r: MockRequest) -> Result<ShopifyOrderFilter, ShopifyParamError> {
        var f = ShopifyOrderFilter()
        if let s = r.param("status") {
            guard ["open", "closed", "cancelled", "any"].contains(s) else { return .failure(.invalid("status")) }
            f.status = s
        }
        func date(_ name: String) -> Result<Int64?, ShopifyParamError> {
            guard let raw = r.param(name), !raw.isEmpty else { return .success(nil) }
            guard let t = Timestamp.parse(raw, defaultOffset: Timestamp.istOffsetSeconds) else { return .failure(.invalid(name)) }
            return .success(t)
        }
        do {
            f.createdMin = try date("created_at_min").get()
            f.createdMax = try date("created_at_max").get()
            f.updatedMin = try date("updated_at_min").get()
            f.updatedMax = try date("updated_at_max").get()
            f.processedMin = try date("processed_at_min").get()
            f.processedMax = try date("processed_at_max").get()
        } catch {
            // Result<_, ShopifyParamError>.get() throws only that error type.
            return .failure(error)
        }
        if let s = r.param("since_id") {
            guard let id = Int64(s) else { return .failure(.invalid("since_id")) }
            f.sinceID = id
            // since_id walks forward by id, like Shopify.
            f.sortField = "id"
            f.ascending = true
        }
        if let s = r.param("ids") {
            var ids: [Int64] = []
            for part in s.split(separator: ",") {
                guard let id = Int64(part.trimmingCharacters(in: .whitespaces)) else { return .failure(.invalid("ids")) }
                ids.append(id)
            }
            f.ids = ids
        }
        if let s = r.param("financial_status"), s != "any" { f.financialStatus = s }
        if let s = r.param("fulfillment_status"), s != "any" { f.fulfillmentStatus = s }
        if let s = r.param("order") {
            let parts = s.lowercased().split(separator: " ").map(String.init)
            if let field = parts.first, ["created_at", "updated_at", "processed_at", "id"].contains(field) {
                f.sortField = field
                f.ascending = parts.count > 1 && parts[1] == "asc"
            }
        }
        return .success(f)
    }

    func matches(_ r: ShopifyOrderRecord) -> Bool {
        let life = r.life
        switch status {
        case "open": if life.closedAt != nil || life.cancelledAt != nil { return false }
        case "closed": if life.closedAt == nil { return false }
        case "cancelled": if life.cancelledAt == nil { return false }
        default: break
        }
        if let v = createdMin, r.createdAt < v { return false }
        if let v = createdMax, r.createdAt > v { return false }
        if let v = processedMin, r.createdAt < v { return false }
        if let v = processedMax, r.createdAt > v { return false }
        if let v = updatedMin, life.updatedAt < v { return false }
        if let v = updatedMax, life.updatedAt > v { return false }
        if let v = sinceID, r.id <= v { return false }
        if let ids, !ids.contains(r.id) { return false }
        if let fs = financialStatus {
            switch fs {
            case "unpaid": if !["pending", "authorized", "partially_paid"].contains(life.financial) { return false }
            default: if life.financial != fs { return false }
            }
        }
        if let fs = fulfillmentStatus {
            let s = life.fulfillmentStatus
            switch fs {
            case "shipped": if s != "fulfilled" { return false }
            case "partial": if s != "partial" { return false }
            case "unshipped": if s != nil { return false }
            case "unfulfilled": if s == "fulfilled" { return false }
            default: break
            }
        }
        return true
    }

    func sortKey(_ r: ShopifyOrderRecord) -> Int64 {
        switch sortField {
        case "updated_at": return r.life.updatedAt
        case "id": return r.id
        default: return r.createdAt
        }
    }
}

enum ShopifyParamError: Error, Equatable {
    case invalid(String)
    case notWithPageInfo(String)

    var body: [UInt8] {
        JSONWriter.render { w in
            w.object("errors") { w in
                switch self {
                case let .invalid(name):
                    w.string(dynamicKey: name, "Invalid value.")
                case let .notWithPageInfo(name):
                    w.string(dynamicKey: name, "\(name) cannot be passed when page_info is present. See https://shopify.dev/api/usage/pagination-rest for more information.")
                }
            }
        }
    }
}

/// page_info: the filter plus the (sort key, id) of the page edge and the
/// direction, base64url-encoded. Keyset positions keep pages stable while
/// orders change.
struct ShopifyCursor: Sendable, Equatable {
    var filter: ShopifyOrderFilter
    /// true: items after (key, id); false: items before it.
    var forward: Bool
    var key: Int64
    var id: Int64

    func encode() -> String {
        func o(_ v: Int64?) -> String { v.map { String($0) } ?? "" }
        let f = filter
        let fields = [
            "v1", f.status, o(f.createdMin), o(f.createdMax), o(f.updatedMin), o(f.updatedMax), o(f.processedMin),
            o(f.processedMax), o(f.sinceID), f.ids.map { $0.map { String($0) }.joined(separator: ".") } ?? "",
            f.financialStatus ?? "", f.fulfillmentStatus ?? "", f.sortField, f.ascending ? "a" : "d",
            forward ? "n" : "p", String(key), String(id),
        ]
        let raw = Data(fields.joined(separator: "|").utf8).base64EncodedString()
        return raw.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ token: String) -> ShopifyCursor? {
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8) else { return nil }
        let p = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard p.count == 17, p[0] == "v1" else { return nil }
        func o(_ s: String) -> Int64?? { s.isEmpty ? .some(nil) : Int64(s).map { .some($0) } }
        guard let cMin = o(p[2]), let cMax = o(p[3]), let uMin = o(p[4]), let uMax = o(p[5]),
              let pMin = o(p[6]), let pMax = o(p[7]), let since = o(p[8]),
              let key = Int64(p[15]), let id = Int64(p[16]) else { return nil }
        var f = ShopifyOrderFilter()
        guard ["open", "closed", "cancelled", "any"].contains(p[1]) else { return nil }
        f.status = p[1]
        f.createdMin = cMin; f.createdMax = cMax; f.updatedMin = uMin; f.updatedMax = uMax
        f.processedMin = pMin; f.processedMax = pMax; f.sinceID = since
        if !p[9].isEmpty {
            let ids = p[9].split(separator: ".").compactMap { Int64($0) }
            f.ids = ids
        }
        f.financialStatus = p[10].isEmpty ? nil : p[10]
        f.fulfillmentStatus = p[11].isEmpty ? nil : p[11]
        guard ["created_at", "updated_at", "processed_at", "id"].contains(p[12]) else { return nil }
        f.sortField = p[12]
        f.ascending = p[13] == "a"
        return ShopifyCursor(filter: f, forward: p[14] == "n", key: key, id: id)
    }
}
