import Foundation
import GatewayModel
import JSONCore
import Logging
import PostgresNIO

/// Tracking ingest and the NDR engine, for one tenant.
///
/// Each event is one transaction that locks its shipment row, so events of
/// one shipment apply one at a time whatever their arrival order:
/// 1. store the event once (unique shipment, courier code, event time);
/// 2. move the shipment forward through `ShipmentStateMachine` (never back),
///    filling picked/delivered/RTO dates, and the order's status after it;
/// 3. NDR: a failed attempt opens the shipment's one case or bumps its
///    attempt count (counted from stored failed-attempt events, so duplicates
///    and shuffles cannot inflate it); delivery resolves it, RTO closes it.
public struct TrackingStore: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var stored = 0
        public var duplicates = 0
        public var unknownAWB = 0
        public var statusChanges = 0
        public var ndrOpened = 0
        public var ndrUpdated = 0
        /// Cases put back to `open` by a failed attempt after their scheduled re-attempt.
        public var ndrReopened = 0

        public init() {}

        public mutating func add(_ other: Outcome) {
            stored += other.stored
            duplicates += other.duplicates
            unknownAWB += other.unknownAWB
            statusChanges += other.statusChanges
            ndrOpened += other.ndrOpened
            ndrUpdated += other.ndrUpdated
            ndrReopened += other.ndrReopened
        }
    }

    public struct Options: Sendable {
        /// `ndr_management` for the tenant: without it tracking is still stored.
        public var ndrEnabled: Bool
        public var timeZone: TimeZone

        public init(ndrEnabled: Bool, timeZone: TimeZone) {
            self.ndrEnabled = ndrEnabled
            self.timeZone = timeZone
        }
    }

    public let database: GatewayDatabase

    public init(database: GatewayDatabase) {
        self.database = database
    }

    /// One transaction per event. `recent` (this process's memory of committed events) lets copies skip the database.
    public func ingest(_ events: [TrackingEvent], schema: String, options: Options, recent: RecentTrackingEvents? = nil) async throws -> Outcome {
        guard !events.isEmpty else { return Outcome() }
        // A poll returns each shipment's whole history: drop what is stored before taking any lock.
        let found = try await database.withTenantTransaction(schema: schema) { connection in
            try await Self.unseen(events, schema: schema, recent: recent, on: connection, logger: database.logger)
        }
        recent?.remember(found.stored, schema: schema)
        var outcome = Outcome()
        outcome.duplicates = found.skipped
        // Oldest first: fewer state-machine refusals, same final state either way.
        for event in found.fresh.sorted(by: { $0.eventTime < $1.eventTime }) {
            let one = try await database.withTenantTransaction(schema: schema) { connection in
                try await Self.apply(event, options: options, on: connection, logger: database.logger)
            }
            if one.unknownAWB == 0 { recent?.remember([event], schema: schema) }
            outcome.add(one)
        }
        return outcome
    }

    /// Many events in one transaction, with `finally` (e.g. marking inbox
    /// items processed) in the same commit. Events are applied per AWB in
    /// time order, AWBs in a fixed order, so concurrent batches lock
    /// shipments in the same order and cannot deadlock each other.
    public func ingestBatch(_ events: [TrackingEvent], schema: String, options: Options, recent: RecentTrackingEvents? = nil,
                            finally: @Sendable (PostgresConnection) async throws -> Void) async throws -> Outcome {
        let (outcome, committed) = try await database.withTenantTransaction(schema: schema) { connection in
            let found = try await Self.unseen(events, schema: schema, recent: recent, on: connection, logger: database.logger)
            var outcome = Outcome()
            outcome.duplicates = found.skipped
            var committed = found.stored
            for event in found.fresh.sorted(by: { ($0.awb, $0.eventTime) < ($1.awb, $1.eventTime) }) {
                let one = try await Self.apply(event, options: options, on: connection, logger: database.logger)
                if one.unknownAWB == 0 { committed.append(event) }
                outcome.add(one)
            }
            try await finally(connection)
            return (outcome, committed)
        }
        recent?.remember(committed, schema: schema)
        return outcome
    }

    /// The events not stored yet: copies within `events` folded, ones `recent` knows
    /// dropped, and stored ones dropped in one set-based lookup on the dedupe index
    /// instead of a locked round trip each. Skipping a stored event is safe because
    /// an event commits together with all its effects; one another transaction is
    /// storing right now is not visible yet and goes the locked way, where the
    /// unique index decides. `stored` are the ones the database had (for `recent`).
    static func unseen(_ events: [TrackingEvent], schema: String, recent: RecentTrackingEvents?, on connection: PostgresConnection,
                       logger: Logger) async throws -> (fresh: [TrackingEvent], stored: [TrackingEvent], skipped: Int) {
        // By index: events are large to copy, and most are dropped here.
        var seen = Set<RecentTrackingEvents.Key>(minimumCapacity: events.count)
        var candidates = events.indices.filter { seen.insert(RecentTrackingEvents.Key(events[$0])).inserted }
        if let recent { candidates = recent.unknown(events, among: candidates, schema: schema) }
        guard !candidates.isEmpty else { return ([], [], events.count) }
        let distinct = candidates.map { events[$0] }
        let awbs = distinct.map(\.awb), codes = distinct.map(\.courierStatusCode), times = distinct.map(\.eventTime)
        let rows = try await connection.query("""
            SELECT x.i::int FROM unnest(\(awbs)::text[], \(codes)::text[], \(times)::timestamptz[]) WITH ORDINALITY AS x(awb, code, at, i)
            WHERE EXISTS (SELECT 1 FROM shipments s JOIN shipment_tracking t ON t.shipment_id = s.id
                          WHERE s.awb_number = x.awb AND COALESCE(t.status_code, '') = x.code AND t.event_time = x.at)
            """, logger: logger).collect()
        var storedIndexes = Set<Int>()
        for row in rows { storedIndexes.insert(try row.decode(Int.self) - 1) }
        var fresh: [TrackingEvent] = [], stored: [TrackingEvent] = []
        for (index, event) in distinct.enumerated() {
            if storedIndexes.contains(index) { stored.append(event) } else { fresh.append(event) }
        }
        return (fresh, stored, events.count - fresh.count)
    }

    static func apply(_ event: TrackingEvent, options: Options, on connection: PostgresConnection, logger: Logger) async throws -> Outcome {
        var outcome = Outcome()
        let rows = try await connection.query("""
            SELECT s.id, s.status, COALESCE(s.metadata, '{}')::text, s.order_id, s.cod_amount::text, o.status,
                   o.customer_name, o.customer_phone, s.delivery_address::text
            FROM shipments s JOIN orders o ON o.id = s.order_id
            WHERE s.awb_number = \(event.awb) FOR UPDATE OF s
            """, logger: logger).collect()
        guard let row = rows.first else {
            outcome.unknownAWB = 1
            logger.notice("tracking event for unknown AWB", metadata: ["awb": "\(event.awb)", "code": "\(event.courierStatusCode)"])
            return outcome
        }
        let (shipmentID, statusText, metadataText, orderID, codText, orderStatusText, customerName, customerPhone, addressText) =
            try row.decode((UUID, String, String, UUID, String?, String, String, String?, String).self)
        let gatewayInfo: JSON = ["is_ndr": .bool(event.isNDR), "ndr_reason": event.ndrReason.map { .string($0.rawValue) } ?? .null,
                                 "status": .string(event.status.rawValue)]
        let raw: JSON = ["event": event.raw, "gateway": gatewayInfo]
        let inserted = try await connection.query("""
            INSERT INTO shipment_tracking (shipment_id, status, status_code, location, description, event_time, raw_data)
            VALUES (\(shipmentID), \(event.status.rawValue), \(event.courierStatusCode), \(event.location), \(event.description),
                    \(event.eventTime), \(raw.serialized())::jsonb)
            ON CONFLICT (shipment_id, (COALESCE(status_code, '')), event_time) DO NOTHING RETURNING id
            """, logger: logger).collect()
        guard !inserted.isEmpty else {
            outcome.duplicates = 1
            return outcome
        }
        outcome.stored = 1

        // Shipment state.
        var metadata = (try? JSON.parse(metadataText))?.objectValue ?? JSONObject()
        let currentStatus = ShipmentStatus(rawValue: statusText) ?? .created
        let progress = ShipmentProgress(status: currentStatus, metadata: metadata)
        var shipmentStatus = currentStatus
        if let next = ShipmentStateMachine.apply(progress, event) {
            next.write(into: &metadata)
            shipmentStatus = next.status
            try await connection.query("""
                UPDATE shipments SET status = \(next.status.rawValue), metadata = \(JSON.object(metadata).serialized())::jsonb,
                    picked_at = CASE WHEN \(next.status.rawValue) IN ('picked','in_transit','out_for_delivery','delivered') THEN COALESCE(picked_at, \(event.eventTime)) ELSE picked_at END,
                    delivered_at = CASE WHEN \(next.status.rawValue) = 'delivered' THEN COALESCE(delivered_at, \(event.eventTime)) ELSE delivered_at END,
                    rto_initiated_at = CASE WHEN \(next.status.rawValue) IN ('rto_initiated','rto_in_transit','rto_delivered') THEN COALESCE(rto_initiated_at, \(event.eventTime)) ELSE rto_initiated_at END,
                    rto_delivered_at = CASE WHEN \(next.status.rawValue) = 'rto_delivered' THEN COALESCE(rto_delivered_at, \(event.eventTime)) ELSE rto_delivered_at END,
                    updated_at = NOW()
                WHERE id = \(shipmentID)
                """, logger: logger)
            if next.status != currentStatus { outcome.statusChanges = 1 }
            // The order follows (shipped, delivered, returned), forward only.
            if let orderStatus = OrderStatus(rawValue: orderStatusText),
               let nextOrder = OrderStatus.next(current: orderStatus, shipment: next.status) {
                try await connection.query("""
                    UPDATE orders SET status = \(nextOrder.rawValue), updated_at = NOW(),
                        shipped_at = CASE WHEN \(nextOrder.rawValue) = 'shipped' THEN COALESCE(shipped_at, \(event.eventTime)) ELSE shipped_at END,
                        delivered_at = CASE WHEN \(nextOrder.rawValue) = 'delivered' THEN COALESCE(delivered_at, \(event.eventTime)) ELSE delivered_at END
                    WHERE id = \(orderID)
                    """, logger: logger)
                try await connection.query("""
                    INSERT INTO order_status_history (order_id, status, notes)
                    VALUES (\(orderID), \(nextOrder.rawValue), \("shipment \(event.awb): \(next.status.rawValue)"))
                    """, logger: logger)
            }
        }

        guard options.ndrEnabled else { return outcome }
        let isFailedAttempt = event.isNDR && !event.status.isRTO && !event.status.isTerminal
        let ndrRows = try await connection.query("""
            SELECT id, status, attempt_count, (metadata->>'last_action_at')::timestamptz FROM ndr_records WHERE shipment_id = \(shipmentID) FOR UPDATE
            """, logger: logger).collect()
        let existing = try ndrRows.first?.decode((UUID, String, Int, Date?).self)
        // Where the case stands follows the shipment, so arrival order does not matter.
        let closing: (status: String, resolution: String)? = switch shipmentStatus {
        case .delivered: ("resolved", "delivered")
        case .rtoInitiated, .rtoInTransit, .rtoDelivered: ("rto", "rto")
        case .cancelled: ("resolved", "cancelled")
        default: nil
        }
        if isFailedAttempt {
            let attempts = try await connection.query("""
                SELECT count(*)::int, min(event_time) FROM shipment_tracking
                WHERE shipment_id = \(shipmentID) AND raw_data->'gateway'->>'is_ndr' = 'true'
                  AND raw_data->'gateway'->>'status' NOT IN ('rto_initiated','rto_in_transit','rto_delivered','delivered','cancelled')
                """, logger: logger).collect().first?.decode((Int, Date).self)
            let attemptCount = max(1, attempts?.0 ?? 1)
            let cod = codText.flatMap { Money(string: $0) }
            let address = try? JSONDecoder().decode(Address.self, from: Data(addressText.utf8))
            let draft = NDRRecordDraft.make(event: event, attemptCount: attemptCount, codAmount: cod, customerName: customerName,
                                            customerPhone: customerPhone, address: address, timeZone: options.timeZone)
            let firstDate = attempts?.1 ?? event.eventTime
            if let existing {
                // A failed attempt after the re-attempt the ops team asked for: the case needs
                // them again, due the day after this attempt. An older attempt arriving late does not.
                let reopen = existing.1 == NDRStatus.reattemptScheduled.rawValue && existing.3.map { event.eventTime > $0 } == true
                let due = NDRRecordDraft.dueDate(ndrDate: reopen ? event.eventTime : firstDate, timeZone: options.timeZone).description
                // The latest attempt's reason wins; the case keeps its first date.
                try await connection.query("""
                    UPDATE ndr_records SET attempt_count = \(attemptCount), priority = \(draft.priority.rawValue),
                        status = CASE WHEN \(reopen) THEN 'open' ELSE status END,
                        reason_code = CASE WHEN \(event.eventTime) >= COALESCE((metadata->>'last_attempt_at')::timestamptz, ndr_date) THEN \(draft.reasonCode.rawValue) ELSE reason_code END,
                        reason_description = CASE WHEN \(event.eventTime) >= COALESCE((metadata->>'last_attempt_at')::timestamptz, ndr_date) THEN \(draft.reasonDescription) ELSE reason_description END,
                        metadata = COALESCE(metadata, '{}') || jsonb_build_object('last_attempt_at', GREATEST(COALESCE((metadata->>'last_attempt_at')::timestamptz, ndr_date), \(event.eventTime)))
                            || CASE WHEN \(reopen) THEN jsonb_build_object('reopened_at', \(event.eventTime)::timestamptz,
                                   'reopen_count', COALESCE((metadata->>'reopen_count')::int, 0) + 1) ELSE '{}'::jsonb END,
                        ndr_date = \(firstDate), due_date = \(due)::date,
                        updated_at = NOW()
                    WHERE id = \(existing.0)
                    """, logger: logger)
                if reopen { outcome.ndrReopened = 1 }
                outcome.ndrUpdated = 1
            } else {
                let address = draft.customerAddress.map { String(decoding: (try? JSONEncoder().encode($0)) ?? Data("null".utf8), as: UTF8.self) }
                var meta = draft.metadata
                meta["last_attempt_at"] = .string(DateCoding.format(event.eventTime))
                try await connection.query("""
                    INSERT INTO ndr_records (ndr_number, shipment_id, order_id, reason_code, reason_description, ndr_date, attempt_count,
                        status, priority, due_date, customer_name, customer_phone, customer_address, metadata)
                    VALUES (\("NDR-" + event.awb), \(shipmentID), \(orderID), \(draft.reasonCode.rawValue), \(draft.reasonDescription),
                        \(firstDate), \(attemptCount), 'open', \(draft.priority.rawValue),
                        \(NDRRecordDraft.dueDate(ndrDate: firstDate, timeZone: options.timeZone).description)::date,
                        \(draft.customerName), \(draft.customerPhone), \(address)::jsonb, \(JSON.object(meta).serialized())::jsonb)
                    """, logger: logger)
                outcome.ndrOpened = 1
            }
        }
        if let closing, existing != nil || isFailedAttempt {
            try await connection.query("""
                UPDATE ndr_records SET status = \(closing.status), resolution = \(closing.resolution),
                    resolved_at = COALESCE(resolved_at, \(event.eventTime)), updated_at = NOW()
                WHERE shipment_id = \(shipmentID) AND status NOT IN ('resolved', 'rto')
                """, logger: logger)
        }
        return outcome
    }
}
