import Foundation
import GatewayModel
@testable import GatewayStore
import JSONCore
import PostgresNIO
import Testing
import TestSupport

@Suite("Tracking ingest and NDR")
struct TrackingStoreTests {
    static let ist = TimeZone(identifier: "Asia/Kolkata") ?? .current

    /// `count` COD orders with one shipment each, AWBs AWB00001….
    func seedShipments(_ database: GatewayDatabase, count: Int) async throws -> Tenant {
        let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            let logger = database.logger
            try await db.query("INSERT INTO sales_channels (id, channel_type_code, name, credentials) VALUES ('00000000-0000-0000-0000-000000000001', 'shopify', 'Shop', '{}')", logger: logger)
            try await db.query("INSERT INTO courier_configs (id, courier_type_code, name, credentials) VALUES ('00000000-0000-0000-0000-000000000002', 'delhivery', 'Delhivery', '{}')", logger: logger)
            try await db.query("""
                INSERT INTO orders (id, order_number, channel_id, external_order_id, status, payment_status, customer_name, customer_phone,
                    shipping_address, subtotal, total_amount, order_date)
                SELECT md5('o' || g)::uuid, 'SH-' || g, '00000000-0000-0000-0000-000000000001', g::text, 'confirmed', 'cod', 'Customer ' || g,
                    '+919876500000', '{"name":"C","line1":"12 MG Road","city":"Pune","state":"Maharashtra","postal_code":"411001","country":"IN"}',
                    2500, 2500, NOW()
                FROM generate_series(1, \(count)) g
                """, logger: logger)
            try await db.query("""
                INSERT INTO shipments (shipment_number, order_id, courier_config_id, awb_number, status, delivery_address, cod_amount)
                SELECT 'SHP-' || g, md5('o' || g)::uuid, '00000000-0000-0000-0000-000000000002', 'AWB' || lpad(g::text, 5, '0'), 'manifested',
                    '{"name":"C","line1":"12 MG Road","city":"Pune","state":"Maharashtra","postal_code":"411001","country":"IN"}', 2500
                FROM generate_series(1, \(count)) g
                """, logger: logger)
        }
        return tenant
    }

    /// A realistic journey: delivered, NDR(s) then delivered, or NDR(s) then RTO.
    static func journey(awb: String, kind: Int, attempts: Int) -> [TrackingEvent] {
        let start = Date(timeIntervalSince1970: 1_732_000_000)
        var t = start
        func next(_ status: ShipmentStatus, _ code: String, ndr: Bool = false, reason: NDRReason? = nil, _ text: String) -> TrackingEvent {
            t = t.addingTimeInterval(3600)
            return TrackingEvent(awb: awb, status: status, isNDR: ndr, ndrReason: reason, courierStatusCode: code, description: text,
                                 location: "Pune", eventTime: t, raw: ["code": .string(code)])
        }
        var events = [next(.picked, "PU-1", "Picked up"), next(.inTransit, "IT-1", "In transit"), next(.inTransit, "IT-2", "Reached hub")]
        let failures = kind == 0 ? 0 : attempts
        for attempt in 0..<failures {
            events.append(next(.outForDelivery, "OFD-\(attempt)", "Out for delivery"))
            events.append(next(.inTransit, "EOD-11-\(attempt)", ndr: true, reason: attempt == failures - 1 ? .refused : .customerUnavailable, "Consignee unavailable"))
        }
        if kind == 2 {
            events += [next(.rtoInitiated, "RT-1", "RTO initiated"), next(.rtoInTransit, "RT-2", "RTO out for delivery"), next(.rtoDelivered, "RT-3", "RTO delivered")]
        } else {
            events += [next(.outForDelivery, "OFD-F", "Out for delivery"), next(.delivered, "DL", "Delivered")]
        }
        return events
    }

    /// Per event (webhook-by-webhook, polls) or in batches of 500 with a shared memory of
    /// committed events (the inbox processors).
    enum Ingest: String, CaseIterable, CustomTestStringConvertible {
        case oneByOne, batchesWithMemory
        var testDescription: String { rawValue }
    }

    @Test(arguments: Ingest.allCases)
    func stormOfTriplicatedShuffledEvents(_ mode: Ingest) async throws {
        try await withTestDatabase { database in
            let count = 1000
            let tenant = try await seedShipments(database, count: count)
            var expected: [String: (events: Int, attempts: Int, final: ShipmentStatus)] = [:]
            var all: [TrackingEvent] = []
            for index in 1...count {
                let awb = "AWB" + String(repeating: "0", count: 5 - String(index).count) + String(index)
                let kind = index % 3, attempts = 1 + index % 3
                let events = Self.journey(awb: awb, kind: kind, attempts: attempts)
                expected[awb] = (events.count, kind == 0 ? 0 : attempts, kind == 2 ? .rtoDelivered : .delivered)
                all += events + events + events
            }
            var generator = SeededGenerator(seed: 42)
            all.shuffle(using: &generator)
            let store = TrackingStore(database: database)
            let options = TrackingStore.Options(ndrEnabled: true, timeZone: Self.ist)
            let recent = RecentTrackingEvents(capacity: 4_000)   // smaller than the storm: generations turn over
            // Eight concurrent receivers, each taking events in the shuffled order.
            let chunks = stride(from: 0, to: all.count, by: 500).map { Array(all[$0..<min($0 + 500, all.count)]) }
            let totals = try await withThrowingTaskGroup(of: TrackingStore.Outcome.self) { group in
                var iterator = chunks.makeIterator()
                var running = 0
                var total = TrackingStore.Outcome()
                func add(_ o: TrackingStore.Outcome) { total.stored += o.stored; total.duplicates += o.duplicates; total.ndrOpened += o.ndrOpened }
                while let chunk = iterator.next() {
                    if running == 8, let done = try await group.next() { add(done); running -= 1 }
                    group.addTask {
                        if mode == .batchesWithMemory {
                            return try await store.ingestBatch(chunk, schema: tenant.schemaName, options: options, recent: recent) { _ in }
                        }
                        var outcome = TrackingStore.Outcome()
                        for event in chunk {   // one at a time, in arrival order
                            let o = try await store.ingest([event], schema: tenant.schemaName, options: options)
                            outcome.stored += o.stored; outcome.duplicates += o.duplicates; outcome.ndrOpened += o.ndrOpened
                        }
                        return outcome
                    }
                    running += 1
                }
                for try await done in group { add(done) }
                return total
            }
            let distinct = expected.values.reduce(0) { $0 + $1.events }
            #expect(totals.stored == distinct)
            #expect(totals.duplicates == 2 * distinct)

            let rows = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("""
                    SELECT s.awb_number, s.status, (SELECT count(*)::int FROM shipment_tracking t WHERE t.shipment_id = s.id),
                           n.attempt_count, n.status, n.resolution, o.status
                    FROM shipments s JOIN orders o ON o.id = s.order_id LEFT JOIN ndr_records n ON n.shipment_id = s.id
                    """, logger: database.logger).collect().map { try $0.decode((String, String, Int, Int?, String?, String?, String).self) }
            }
            #expect(rows.count == count)
            var mismatches: [String] = []
            for (awb, status, tracked, attempts, ndrStatus, resolution, orderStatus) in rows {
                guard let want = expected[awb] else { continue }
                if status != want.final.rawValue { mismatches.append("\(awb) status \(status) != \(want.final.rawValue)") }
                if tracked != want.events { mismatches.append("\(awb) tracking rows \(tracked) != \(want.events)") }
                if (attempts ?? 0) != want.attempts { mismatches.append("\(awb) attempts \(attempts ?? 0) != \(want.attempts)") }
                if want.attempts > 0 {
                    let wantClose = want.final == .delivered ? ("resolved", "delivered") : ("rto", "rto")
                    if ndrStatus != wantClose.0 || resolution != wantClose.1 { mismatches.append("\(awb) ndr \(ndrStatus ?? "-")/\(resolution ?? "-")") }
                }
                let wantOrder = want.final == .delivered ? "delivered" : "returned"
                if orderStatus != wantOrder { mismatches.append("\(awb) order \(orderStatus) != \(wantOrder)") }
            }
            #expect(mismatches.prefix(10) == [])
            let cases = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("SELECT count(*)::int, count(DISTINCT shipment_id)::int FROM ndr_records", logger: database.logger)
                    .collect().first?.decode((Int, Int).self)
            }
            let withNDR = expected.values.filter { $0.attempts > 0 }.count
            #expect(cases?.0 == withNDR && cases?.1 == withNDR)
        }
    }

    @Test func ndrOpensBumpsAndNeedsTheFeature() async throws {
        try await withTestDatabase { database in
            let tenant = try await seedShipments(database, count: 2)
            let store = TrackingStore(database: database)
            let events = Self.journey(awb: "AWB00001", kind: 1, attempts: 2)
            let firstNDR = try #require(events.firstIndex { $0.isNDR })
            _ = try await store.ingest(Array(events[...firstNDR]), schema: tenant.schemaName, options: .init(ndrEnabled: true, timeZone: Self.ist))
            let open = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("SELECT ndr_number, status, attempt_count, reason_code, priority, due_date::text, customer_name FROM ndr_records", logger: database.logger)
                    .collect().first?.decode((String, String, Int, String, String, String, String?).self)
            }
            #expect(open?.0 == "NDR-AWB00001")
            #expect(open?.1 == "open" && open?.2 == 1)
            #expect(open?.3 == "customer_unavailable")
            #expect(open?.4 == "high")                 // COD 2500 >= 2000
            #expect(open?.6 == "Customer 1")
            let ndrDay = CalendarDate(events[firstNDR].eventTime, in: Self.ist).adding(days: 1).description
            #expect(open?.5 == ndrDay)

            // Without ndr_management: tracking still stored, no case.
            let other = Self.journey(awb: "AWB00002", kind: 1, attempts: 1)
            let outcome = try await store.ingest(other, schema: tenant.schemaName, options: .init(ndrEnabled: false, timeZone: Self.ist))
            #expect(outcome.stored == other.count && outcome.ndrOpened == 0)
            let cases = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("SELECT count(*)::int FROM ndr_records", logger: database.logger).collect().first?.decode(Int.self)
            }
            #expect(cases == 1)
        }
    }

    /// The ops team asked for a re-attempt; the courier tried and failed again:
    /// the case is theirs again (open, due the day after that attempt). An
    /// attempt from before their request, arriving late, changes nothing.
    @Test func aFailedAttemptAfterTheScheduledReattemptReopensTheCase() async throws {
        try await withTestDatabase { database in
            let tenant = try await seedShipments(database, count: 1)
            let store = TrackingStore(database: database)
            let options = TrackingStore.Options(ndrEnabled: true, timeZone: Self.ist)
            let events = Self.journey(awb: "AWB00001", kind: 1, attempts: 3)
            let failures = events.indices.filter { events[$0].isNDR }
            #expect(failures.count == 3)
            _ = try await store.ingest(Array(events[...failures[0]]), schema: tenant.schemaName, options: options)
            func state() async throws -> (String, Int, String, String?)? {
                try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                    try await db.query("SELECT status, attempt_count, due_date::text, metadata->>'reopen_count' FROM ndr_records", logger: database.logger)
                        .collect().first?.decode((String, Int, String, String?).self)
                }
            }
            // The re-attempt was requested between the second and the third failure (event time).
            let requestedAt = events[failures[1]].eventTime.addingTimeInterval(600)
            func requestReattempt() async throws {
                try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                    try await db.query("""
                        UPDATE ndr_records SET status = 'reattempt_scheduled',
                            metadata = metadata || jsonb_build_object('last_action', 'reattempt', 'last_action_at', \(requestedAt)::timestamptz)
                        """, logger: database.logger)
                }
            }
            try await requestReattempt()
            // The second failure happened before the request; it arrives late and only counts.
            let late = try await store.ingest(Array(events[(failures[0] + 1)...failures[1]]), schema: tenant.schemaName, options: options)
            #expect(late.ndrReopened == 0)
            #expect(try await state()?.0 == "reattempt_scheduled")
            #expect(try await state()?.1 == 2)

            let again = try await store.ingest(Array(events[(failures[1] + 1)...failures[2]]), schema: tenant.schemaName, options: options)
            #expect(again.ndrReopened == 1 && again.ndrOpened == 0)
            let reopened = try await state()
            #expect(reopened?.0 == "open" && reopened?.1 == 3 && reopened?.3 == "1")
            #expect(reopened?.2 == CalendarDate(events[failures[2]].eventTime, in: Self.ist).adding(days: 1).description)
            // The same failure once more (a duplicate webhook) does not reopen twice.
            try await requestReattempt()
            let copy = try await store.ingest([events[failures[2]]], schema: tenant.schemaName, options: options)
            #expect(copy.duplicates == 1 && copy.ndrReopened == 0)
            #expect(try await state()?.0 == "reattempt_scheduled")
            // Delivered in the end: resolved, whatever the case's status was.
            _ = try await store.ingest(Array(events[(failures[2] + 1)...]), schema: tenant.schemaName, options: options)
            #expect(try await state()?.0 == "resolved")
        }
    }

    @Test func unknownAWBIsCountedNotStored() async throws {
        try await withTestDatabase { database in
            let tenant = try await seedShipments(database, count: 1)
            let recent = RecentTrackingEvents()
            // Twice: an event that was not stored is not remembered either.
            for _ in 0..<2 {
                let outcome = try await TrackingStore(database: database).ingest(
                    Self.journey(awb: "NOPE", kind: 0, attempts: 0), schema: tenant.schemaName, options: .init(ndrEnabled: true, timeZone: Self.ist),
                    recent: recent)
                #expect(outcome.unknownAWB == 5 && outcome.stored == 0)
            }
            #expect(recent.count == 0)
        }
    }

    @Test func copiesOfCommittedEventsSkipTheDatabase() async throws {
        try await withTestDatabase { database in
            let tenant = try await seedShipments(database, count: 2)
            let store = TrackingStore(database: database)
            let options = TrackingStore.Options(ndrEnabled: true, timeZone: Self.ist)
            let recent = RecentTrackingEvents()
            let events = Self.journey(awb: "AWB00001", kind: 1, attempts: 1)
            // A batch holding each event twice: stored once, the copies counted.
            var outcome = try await store.ingestBatch(events + events, schema: tenant.schemaName, options: options, recent: recent) { _ in }
            #expect(outcome.stored == events.count && outcome.duplicates == events.count)
            #expect(recent.count == events.count)
            // Remembered only per schema: another tenant's identical AWB is not "known".
            #expect(recent.contains(events, schema: "tenant_other").allSatisfy { !$0 })

            // The rows vanish behind the gateway's back: the memory still answers for them (what it is for),
            // while a store without it finds them missing and stores them again.
            try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("DELETE FROM shipment_tracking", logger: database.logger)
            }
            outcome = try await store.ingest(events, schema: tenant.schemaName, options: options, recent: recent)
            #expect(outcome.stored == 0 && outcome.duplicates == events.count)
            outcome = try await store.ingest(events, schema: tenant.schemaName, options: options)
            #expect(outcome.stored == events.count)

            // A failed transaction remembers nothing.
            let other = Self.journey(awb: "AWB00002", kind: 0, attempts: 0)
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                _ = try await store.ingestBatch(other, schema: tenant.schemaName, options: options, recent: recent) { _ in throw Abort() }
            }
            #expect(recent.contains(other, schema: tenant.schemaName).allSatisfy { !$0 })
            outcome = try await store.ingestBatch(other, schema: tenant.schemaName, options: options, recent: recent) { _ in }
            #expect(outcome.stored == other.count)
        }
    }

    @Test func memoryIsBoundedByGenerations() {
        let recent = RecentTrackingEvents(capacity: 100)
        let events = (0..<500).map { i in
            TrackingEvent(awb: "AWB\(i)", status: .inTransit, courierStatusCode: "IT", description: "In transit",
                          eventTime: Date(timeIntervalSince1970: 1_732_000_000 + Double(i)))
        }
        recent.remember(events, schema: "tenant_acme")
        #expect(recent.count <= 100)
        // The newest are kept, the oldest forgotten.
        #expect(recent.contains([events[499]], schema: "tenant_acme") == [true])
        #expect(recent.contains([events[0]], schema: "tenant_acme") == [false])
    }
}

/// Deterministic shuffles (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
