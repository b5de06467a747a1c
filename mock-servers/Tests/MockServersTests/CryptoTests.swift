import Foundation
import Testing
@testable import MockServers

@Suite struct CryptoTests {
    @Test func sha256KnownVectors() {
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(SHA256.hash(million)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hmacRFC4231() {
        // Test case 1
        let key1 = [UInt8](repeating: 0x0b, count: 20)
        #expect(SHA256.hex(HMACSHA256.mac(key: key1, message: Array("Hi There".utf8)))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Test case 2
        #expect(SHA256.hex(HMACSHA256.mac(key: "Jefe", message: Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: key longer than the block size
        let key6 = [UInt8](repeating: 0xaa, count: 131)
        #expect(SHA256.hex(HMACSHA256.mac(key: key6, message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}

@Suite struct CommonTests {
    @Test func timestampsRoundTrip() {
        #expect(Timestamp.shopify(fixedStart) == "2026-01-15T12:00:00+05:30")
        #expect(Timestamp.amazon(fixedStart) == "2026-01-15T06:30:00Z")
        #expect(Timestamp.parse("2026-01-15T12:00:00+05:30") == fixedStart)
        #expect(Timestamp.parse("2026-01-15T06:30:00.123Z") == fixedStart)
        #expect(Timestamp.parse("2026-01-14T23:30:00-07") == fixedStart)
        #expect(Timestamp.parse("2026-01-15T12:00:00+0530") == fixedStart)
        #expect(Timestamp.parse("2026-01-15", defaultOffset: 0) == fixedStart - 6 * 3600 - 1800)
        #expect(Timestamp.parse("15/01/2026") == nil)
        #expect(Timestamp.parse("2024-02-29T00:00:00Z").map(Timestamp.amazon) == "2024-02-29T00:00:00Z")
    }

    @Test func moneyIsExact() {
        #expect(Minor.format(123_450) == "1234.50")
        #expect(Minor.format(5) == "0.05")
        #expect(Minor.format(-4_900) == "-49.00")
        #expect(Minor.parse("1234.5") == 123_450)
        #expect(Minor.parse("12") == 1_200)
        #expect(Minor.parse("1.234") == nil)
        // ₹1180 incl. 18% GST contains ₹180 of tax.
        #expect(Minor.inclusiveTax(gross: 118_000, rateBP: 1_800) == 18_000)
        #expect(Minor.rateLiteral(1_800) == "0.18")
        #expect(Minor.rateLiteral(900) == "0.09")
        #expect(Minor.rateLiteral(0) == "0.0")
    }

    @Test func prngIsDeterministic() {
        var a = SplitMix64(seed: 9)
        var b = SplitMix64(seed: 9)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        var c = SplitMix64.derive(seed: 9, stream: 1, index: 5)
        var d = SplitMix64.derive(seed: 9, stream: 1, index: 6)
        #expect(c.next() != d.next())
    }

    @Test func phonesComeInRawFormats() {
        let m = "9876543210"
        #expect((0..<6).map { IndianData.rawPhone(m, style: $0) }
            == ["9876543210", "+91 98765 43210", "09876543210", "+919876543210", "98765-43210", "+91-9876543210"])
        var g = SplitMix64(seed: 3)
        for _ in 0..<50 {
            let mobile = IndianData.mobile(&g)
            #expect(mobile.count == 10 && "6789".contains(mobile.first ?? "0"))
        }
    }

    @Test func leakyBucketFillsAndLeaks() {
        let now = LockedBox<Double>(0)
        let bucket = LeakyBucket(.init(size: 3, leakPerSecond: 1), time: { now.withLock { $0 } })
        func take() -> String { let r = bucket.take(); return "\(r.allowed) \(r.used)" }
        #expect(take() == "true 1")
        #expect(take() == "true 2")
        #expect(take() == "true 3")
        #expect(take() == "false 3")
        now.withLock { $0 = 1.0 }
        #expect(take() == "true 3")
        #expect(bucket.take().allowed == false)
    }

    @Test func tokenBucketRefills() {
        let now = LockedBox<Double>(0)
        let bucket = TokenBucket(.init(rate: 0.5, burst: 2), time: { now.withLock { $0 } })
        #expect(bucket.take() && bucket.take())
        #expect(!bucket.take())
        now.withLock { $0 = 1.9 }
        #expect(!bucket.take())
        now.withLock { $0 = 2.1 }
        #expect(bucket.take())
    }

    @Test func scriptedFaultsHitTheirOrdinals() {
        let f = FaultInjector(.scripted([3: .serverError(503), 4: .serverError(503), 5: .serverError(503)]))
        let got = (1...7).map { _ in f.next(path: "/x") }
        #expect(got == [nil, nil, .serverError(503), .serverError(503), .serverError(503), nil, nil])
    }

    @Test func probabilisticFaultsAreDeterministic() {
        let plan = FaultPlan.uniform(rate: 0.3, seed: 11)
        let a = FaultInjector(plan), b = FaultInjector(plan)
        let sa = (0..<500).map { _ in a.next(path: "/x") }
        let sb = (0..<500).map { _ in b.next(path: "/x") }
        #expect(sa == sb)
        let rate = Double(sa.compactMap { $0 }.count) / 500
        #expect(rate > 0.2 && rate < 0.45)
        // 429s come in bursts of three.
        var i = 0
        while i < sa.count {
            if sa[i] == .rateLimited && (i == 0 || sa[i - 1] != .rateLimited) && i + 2 < sa.count {
                #expect(sa[i + 1] == .rateLimited && sa[i + 2] == .rateLimited)
            }
            i += 1
        }
    }

    @Test func formCoding() {
        let pairs = FormCoding.decode("refresh_token=Atzr%7Cabc&x=a+b&flag")
        #expect(pairs.map(\.name) == ["refresh_token", "x", "flag"])
        #expect(pairs.map(\.value) == ["Atzr|abc", "a b", ""])
        #expect(FormCoding.encode([("page_info", "a+b/c=")]) == "page_info=a%2Bb%2Fc%3D")
    }
}
