import Foundation
import Testing
@testable import GatewayModel

@Suite struct ShipmentStateMachineTests {
    typealias S = ShipmentStatus
    static let t0 = Date(timeIntervalSince1970: 1_705_000_000)
    static func t(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }

    /// The allowed graph, written out independently of the implementation.
    static let allowed: [S: Set<S>] = [
        .created: [.manifested, .picked, .inTransit, .outForDelivery, .delivered, .rtoInitiated, .rtoInTransit, .rtoDelivered, .cancelled],
        .manifested: [.picked, .inTransit, .outForDelivery, .delivered, .rtoInitiated, .rtoInTransit, .rtoDelivered, .cancelled],
        .picked: [.inTransit, .outForDelivery, .delivered, .rtoInitiated, .rtoInTransit, .rtoDelivered],
        .inTransit: [.outForDelivery, .delivered, .rtoInitiated, .rtoInTransit, .rtoDelivered],
        .outForDelivery: [.delivered, .rtoInitiated, .rtoInTransit, .rtoDelivered],
        .delivered: [],
        .rtoInitiated: [.rtoInTransit, .rtoDelivered],
        .rtoInTransit: [.rtoDelivered],
        .rtoDelivered: [],
        .cancelled: [],
    ]

    @Test func everyPairOfTheStaticGraph() throws {
        var allowedCount = 0
        for from in S.allCases {
            for to in S.allCases {
                let expected = try #require(Self.allowed[from]).contains(to)
                #expect(ShipmentStateMachine.canTransition(from: from, to: to) == expected, "\(from) -> \(to)")
                // apply() agrees for ordinary (non-NDR, newer) events.
                let p = ShipmentProgress(status: from, since: Self.t(0))
                let r = ShipmentStateMachine.apply(p, event: to, eventTime: Self.t(1), isNDR: false)
                if expected {
                    #expect(r == ShipmentProgress(status: to, since: Self.t(1)), "\(from) -> \(to)")
                } else if from == to && !from.isTerminal {
                    #expect(r == ShipmentProgress(status: from, since: Self.t(1)), "refresh \(from)")
                } else {
                    #expect(r == nil, "\(from) -> \(to) must not move")
                }
                #expect(ShipmentStateMachine.next(current: from, currentSince: Self.t(0), event: to,
                                                  eventTime: Self.t(1), isNDR: false) == (expected ? to : nil))
                if expected { allowedCount += 1 }
            }
        }
        #expect(allowedCount == 35)
    }

    @Test func terminalAndRTOFlags() {
        #expect(S.allCases.filter(\.isTerminal) == [.delivered, .rtoDelivered, .cancelled])
        #expect(S.allCases.filter(\.isRTO) == [.rtoInitiated, .rtoInTransit, .rtoDelivered])
    }

    @Test func duplicateOrOlderSameStatusDoesNothing() {
        let p = ShipmentProgress(status: .inTransit, since: Self.t(5))
        #expect(ShipmentStateMachine.apply(p, event: .inTransit, eventTime: Self.t(5), isNDR: false) == nil)
        #expect(ShipmentStateMachine.apply(p, event: .inTransit, eventTime: Self.t(4), isNDR: false) == nil)
        #expect(ShipmentStateMachine.apply(p, event: .picked, eventTime: Self.t(9), isNDR: false) == nil)
    }

    @Test func failedAttemptNewerThanOutForDeliveryReturnsToInTransit() throws {
        let ofd = ShipmentProgress(status: .outForDelivery, since: Self.t(10))
        let r = try #require(ShipmentStateMachine.apply(ofd, event: .inTransit, eventTime: Self.t(18), isNDR: true))
        #expect(r == ShipmentProgress(status: .inTransit, since: Self.t(18), lastFailedAttemptAt: Self.t(18)))
        #expect(ShipmentStateMachine.next(current: .outForDelivery, currentSince: Self.t(10), event: .inTransit,
                                          eventTime: Self.t(18), isNDR: true) == .inTransit)
        // Next day's out_for_delivery moves it forward again; a stale one does not.
        #expect(ShipmentStateMachine.apply(r, event: .outForDelivery, eventTime: Self.t(34), isNDR: false)?.status == .outForDelivery)
        #expect(ShipmentStateMachine.apply(r, event: .outForDelivery, eventTime: Self.t(10), isNDR: false) == nil)
        #expect(ShipmentStateMachine.apply(r, event: .outForDelivery, eventTime: Self.t(18), isNDR: false)?.status == .outForDelivery)
        #expect(ShipmentStateMachine.apply(r, event: .delivered, eventTime: Self.t(11), isNDR: false)?.status == .delivered)
    }

    @Test func failedAttemptNotNewerLeavesOutForDelivery() throws {
        let ofd = ShipmentProgress(status: .outForDelivery, since: Self.t(10))
        for time in [Self.t(10), Self.t(9)] {
            let r = try #require(ShipmentStateMachine.apply(ofd, event: .inTransit, eventTime: time, isNDR: true))
            #expect(r.status == .outForDelivery)
            #expect(r.lastFailedAttemptAt == time)
            #expect(ShipmentStateMachine.next(current: .outForDelivery, currentSince: Self.t(10), event: .inTransit,
                                              eventTime: time, isNDR: true) == nil)
        }
        // Unknown since: cannot prove the attempt is newer, so no regression.
        let unknown = ShipmentProgress(status: .outForDelivery, since: nil)
        #expect(ShipmentStateMachine.apply(unknown, event: .inTransit, eventTime: Self.t(20), isNDR: true)?.status == .outForDelivery)
        // A plain (non-NDR) in_transit never regresses.
        #expect(ShipmentStateMachine.apply(ofd, event: .inTransit, eventTime: Self.t(20), isNDR: false) == nil)
    }

    @Test func failedAttemptFromOtherStates() {
        func apply(_ s: S) -> ShipmentProgress? {
            ShipmentStateMachine.apply(ShipmentProgress(status: s, since: Self.t(1)), event: .inTransit, eventTime: Self.t(5), isNDR: true)
        }
        for s in [S.created, .manifested, .picked] { #expect(apply(s)?.status == .inTransit) }
        #expect(apply(.inTransit) == ShipmentProgress(status: .inTransit, since: Self.t(5), lastFailedAttemptAt: Self.t(5)))
        for s in [S.rtoInitiated, .rtoInTransit, .rtoDelivered, .delivered, .cancelled] { #expect(apply(s) == nil, "\(s)") }
        // NDR flag on an RTO status follows the status.
        let r = ShipmentStateMachine.apply(ShipmentProgress(status: .outForDelivery, since: Self.t(1)),
                                           event: .rtoInitiated, eventTime: Self.t(2), isNDR: true)
        #expect(r?.status == .rtoInitiated)
    }

    @Test func impliedOrderStatus() {
        let expected: [S: OrderStatus?] = [
            .created: nil, .manifested: nil, .picked: .shipped, .inTransit: .shipped, .outForDelivery: .shipped,
            .delivered: .delivered, .rtoInitiated: nil, .rtoInTransit: nil, .rtoDelivered: .returned, .cancelled: nil,
        ]
        for s in S.allCases { #expect(s.impliedOrderStatus == expected[s] ?? nil, "\(s)") }
    }

    @Test func progressMetadataRoundTrip() throws {
        let p = ShipmentProgress(status: .inTransit, since: Self.t(3), lastFailedAttemptAt: Self.t(2.5))
        var meta = Fixtures.order().metadata
        p.write(into: &meta)
        #expect(ShipmentProgress(status: .inTransit, metadata: meta) == p)
        #expect(meta["source"] == .string("web"))
        #expect(ShipmentProgress(status: .picked, metadata: .init([])) == ShipmentProgress(status: .picked))
        let data = try JSONEncoder().encode(p)
        #expect(try JSONDecoder().decode(ShipmentProgress.self, from: data) == p)
        #expect(Set(try Fixtures.jsonObject(p).keys) == ["status", "since", "last_failed_attempt_at"])
    }
}

@Suite struct OrderStatusTransitionTests {
    typealias O = OrderStatus
    static let allowed: [O: Set<O>] = [
        .pending: [.confirmed, .processing, .shipped, .delivered, .returned, .cancelled],
        .confirmed: [.processing, .shipped, .delivered, .returned, .cancelled],
        .processing: [.shipped, .delivered, .returned, .cancelled],
        .shipped: [.delivered, .returned, .cancelled],
        .delivered: [.returned],
        .cancelled: [], .returned: [],
    ]

    @Test func everyPair() throws {
        for from in O.allCases {
            for to in O.allCases {
                let expected = try #require(Self.allowed[from]).contains(to)
                #expect(from.canAdvance(to: to) == expected, "\(from) -> \(to)")
                #expect(O.next(current: from, proposed: to) == (expected ? to : nil))
            }
        }
    }

    @Test func fromShipmentStatus() {
        #expect(O.next(current: .confirmed, shipment: .picked) == .shipped)
        #expect(O.next(current: .shipped, shipment: .inTransit) == nil)
        #expect(O.next(current: .shipped, shipment: .delivered) == .delivered)
        #expect(O.next(current: .delivered, shipment: .outForDelivery) == nil)
        #expect(O.next(current: .shipped, shipment: .rtoDelivered) == .returned)
        #expect(O.next(current: .cancelled, shipment: .delivered) == nil)
        #expect(O.next(current: .processing, shipment: .cancelled) == nil)
    }
}
