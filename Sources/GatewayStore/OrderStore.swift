import Foundation
import GatewayModel
import JSONCore
import Logging
import PostgresNIO

/// Writes pulled or pushed orders into a tenant's `orders`, `order_items`
/// and `order_status_history`, a page at a time: one `SELECT … FOR UPDATE`
/// of the page's known orders, then one statement (data-modifying CTEs) for
/// orders, items, history and cursor (docs/adr/0014).
///
/// - Unique per (channel, external id): a re-pull or overlap never duplicates.
/// - Unchanged orders (same content hash) are not rewritten.
/// - Status only moves forward (`OrderStatus.canAdvance`); each change adds history.
/// - Items keep their ids across re-pulls (matched on `metadata.external_item_id`)
///   and link to `products`/`product_variants` by SKU.
public struct OrderStore: Sendable {
    public struct PageResult: Sendable, Equatable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        public var statusChanges = 0

        public init() {}
    }

    public struct LeaseLost: Error, CustomStringConvertible {
        public var description: String { "the job lease expired and was taken over; this page was not written" }
    }

    /// An order with its content hash and its rows as JSON, computed before the
    /// transaction opens (`prepare`; the pull does it while the previous page is
    /// written), so little CPU-bound work runs while the page holds row locks.
    public struct Prepared: Sendable {
        public var order: UnifiedOrder
        public var hash: String
        /// The `orders` row (metadata with `content_hash`), as `PagePayload` writes it.
        var row: [UInt8]
        /// The `order_items` rows, comma-separated; nil when the lines are missing.
        var lines: [UInt8]?
    }

    public init() {}

    /// Dedupes a page (the last version of an order wins), hashes each order and writes its rows.
    public static func prepare(_ orders: [UnifiedOrder]) -> [Prepared] {
        var position: [String: Int] = [:]
        var latest: [UnifiedOrder] = []
        latest.reserveCapacity(orders.count)
        for order in orders {
            if let i = position[order.externalOrderId] {
                latest[i] = order
            } else {
                position[order.externalOrderId] = latest.count
                latest.append(order)
            }
        }
        return latest.map { order in
            let hash = order.contentHash
            var order = order
            for index in order.items.indices where order.items[index].metadata["external_item_id"] == nil {
                // Adapters always set it; a positional id keeps rows stable if one did not.
                order.items[index].metadata["external_item_id"] = .string("line-\(index + 1)")
            }
            return Prepared(order: order, hash: hash, row: PagePayload.row(order, hash: hash), lines: PagePayload.lines(order))
        }
    }

    /// Writes `orders` and advances `cursor` in the caller's tenant transaction
    /// (search_path set to the tenant schema), so both commit or neither does.
    public func write(_ orders: [UnifiedOrder], channelID: UUID, cursor: JSON?, lease: JobLease? = nil,
                      on connection: PostgresConnection, logger: Logger) async throws -> PageResult {
        try await write(prepared: Self.prepare(orders), seen: orders.count, channelID: channelID, cursor: cursor, lease: lease,
                        on: connection, logger: logger)
    }

    /// `write` for a page already `prepare`d; `seen` is the page's order count (duplicates included).
    public func write(prepared: [Prepared], seen: Int, channelID: UUID, cursor: JSON?, lease: JobLease? = nil,
                      on connection: PostgresConnection, logger: Logger) async throws -> PageResult {
        if let lease, try await !JobStore.renew(lease, seconds: 120, on: connection, logger: logger) { throw LeaseLost() }
        var result = PageResult()
        var existing: [String: (id: UUID, status: OrderStatus, hash: String?)] = [:]
        if !prepared.isEmpty {
            let externalIDs = prepared.map(\.order.externalOrderId)
            let statement = ExistingOrdersStatement(externalIDs: externalIDs, channelID: channelID)
            for try await (id, external, status, hash) in try await connection.execute(statement, logger: logger) {
                existing[external] = (id, OrderStatus(rawValue: status) ?? .pending, hash)
            }
        }
        var page = PagePayload()
        for var entry in prepared {
            let external = entry.order.externalOrderId
            if let current = existing[external] {
                if current.hash == entry.hash { result.unchanged += 1; continue }
                // Never backwards: a channel that lags our tracking does not undo "shipped".
                if let next = OrderStatus.next(current: current.status, proposed: entry.order.status) {
                    page.history(external, next, "channel: \(current.status.rawValue) -> \(next.rawValue)")
                } else if entry.order.status != current.status {
                    entry.order.status = current.status
                    entry.row = PagePayload.row(entry.order, hash: entry.hash)
                }
                result.updated += 1
                page.add(entry, existingID: current.id)
            } else {
                page.history(external, entry.order.status, "imported from channel")
                result.inserted += 1
                page.add(entry, existingID: nil)
            }
        }
        result.statusChanges = page.historyExternal.count - result.inserted
        try await OrderPageStatement.run(page.finish(), channelID: channelID, cursor: cursor, seen: seen, on: connection, logger: logger)
        return result
    }

    public static func cursor(channelID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> JSON? {
        let rows = try await connection.query(
            "SELECT cursor::text FROM gateway_sync_cursors WHERE channel_id = \(channelID)", logger: logger).collect()
        return try rows.first.map { try JSON.parse(try $0.decode(String.self)) }
    }
}

/// The rows of one page as JSON text for `json_to_recordset`, written
/// directly (`JSONTextWriter`): `JSONEncoder` cost more than the database.
struct PagePayload {
    var orders = JSONTextWriter(capacity: 256 * 1024)
    var items = JSONTextWriter(capacity: 256 * 1024)
    var orderCount = 0
    var hasLines = false
    /// Orders already stored whose lines the page replaces (vanished lines are deleted).
    var replacedItemsOf: [UUID] = []
    var historyExternal: [String] = []
    var historyStatus: [String] = []
    var historyNotes: [String] = []

    init() {
        orders.beginArray()
        items.beginArray()
    }

    mutating func history(_ external: String, _ status: OrderStatus, _ note: String) {
        historyExternal.append(external)
        historyStatus.append(status.rawValue)
        historyNotes.append(note)
    }

    static func row(_ order: UnifiedOrder, hash: String) -> [UInt8] {
        var w = JSONTextWriter(capacity: 2048)
        order.writeJSON(into: &w, items: false, metadata: ("content_hash", .string(hash)))
        return w.bytes
    }

    static func lines(_ order: UnifiedOrder) -> [UInt8]? {
        // An order the channel sent without its lines (Amazon getOrderItems missing) keeps the stored ones.
        if order.metadata["items_missing"]?.boolValue == true { return nil }
        var w = JSONTextWriter(capacity: 1024)
        for item in order.items {
            w.separator()
            w.beginObject()
            w.key("order_external_id"); w.string(order.externalOrderId)
            w.key("external_item_id"); w.string(item.metadata["external_item_id"]?.stringValue ?? "")
            item.writeJSONMembers(into: &w)
            w.endObject()
        }
        return w.bytes
    }

    mutating func add(_ entry: OrderStore.Prepared, existingID: UUID?) {
        orderCount += 1
        if orderCount > 1 { orders.bytes.append(UInt8(ascii: ",")) }
        orders.bytes.append(contentsOf: entry.row)
        guard let lines = entry.lines else { return }
        if let existingID { replacedItemsOf.append(existingID) }
        guard !lines.isEmpty else { return }
        if hasLines { items.bytes.append(UInt8(ascii: ",")) }
        items.bytes.append(contentsOf: lines)
        hasLines = true
    }

    mutating func finish() -> PagePayload {
        orders.endArray()
        items.endArray()
        return self
    }
}
