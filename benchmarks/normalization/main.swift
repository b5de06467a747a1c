import Foundation
import GatewayModel
import JSONCore
import ShopifyAdapter

// NormalizationBenchmark: cost of turning one Shopify order into a UnifiedOrder,
// parse included, on a realistic 250-order page (GET orders.json?limit=250).
//
// The page is built from the Shopify samples in contracts/providers/shopify
// (orders-page.json, order-single.json, webhook-orders-create.json), cycled
// with fresh ids and names up to the page size, serialized once; each round
// parses and normalizes it `--pages` times. Reported: median µs per order over
// rounds (a noisy 2-core machine: medians, not means).
// The main figure is the adapter's hot path, `Shopify.normalize(bytes:)`
// (what fetchOrders and webhooks run: one pass over the bytes, no JSON tree);
// the JSONCore parse + `normalize([JSON])` path is reported beside it.

struct Options {
    var rounds = 15
    var pages = 8
    var orders = 250
    var samples = "contracts/providers/shopify"
    var json = false

    init(_ arguments: [String]) throws {
        var i = 1
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError.usage("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--rounds": rounds = Int(try value()) ?? rounds
            case "--pages": pages = Int(try value()) ?? pages
            case "--orders": orders = Int(try value()) ?? orders
            case "--samples": samples = try value()
            case "--json": json = true
            case "-h", "--help":
                throw BenchError.usage("NormalizationBenchmark [--rounds 15] [--pages 8] [--orders 250] [--samples DIR] [--json]")
            default: throw BenchError.usage("unknown argument \(arguments[i])")
            }
            i += 1
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    case samples(String)
    var description: String {
        switch self {
        case .usage(let s): return s
        case .samples(let s): return "samples: \(s)"
        }
    }
}

/// Sample orders from the contracts folder, as JSON objects.
func sampleOrders(_ folder: String) throws -> [JSONObject] {
    var orders: [JSONObject] = []
    for name in ["orders-page.json", "order-single.json", "webhook-orders-create.json"] {
        let path = folder + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        let json = try JSON.parse(Array(data))
        if case .array(let list)? = json["orders"] {
            orders += list.compactMap(\.objectValue)
        } else if case .object(let order)? = json["order"] {
            orders.append(order)
        } else if case .object(let order) = json, order["line_items"] != nil {
            orders.append(order)
        }
    }
    guard !orders.isEmpty else { throw BenchError.samples("no Shopify orders under \(folder) (run from the repository root or pass --samples)") }
    return orders
}

/// `count` orders cycled from the samples, each with its own id and name.
func page(from samples: [JSONObject], count: Int) -> [UInt8] {
    var list: [JSON] = []
    list.reserveCapacity(count)
    for i in 0..<count {
        var order = samples[i % samples.count]
        order["id"] = .number(JSONNumber(6_100_000_000_000 + i))
        order["name"] = .string("#\(20_001 + i)")
        list.append(.object(order))
    }
    return Array(JSON.object(JSONObject([("orders", .array(list))])).serialized().utf8)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func microseconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) * 1e6 + Double(atto) / 1e12
}

func run() throws {
    let options = try Options(CommandLine.arguments)
    let bytes = page(from: try sampleOrders(options.samples), count: options.orders)
    let clock = ContinuousClock()

    // Warm-up, and a correctness check: every order normalizes and adds up.
    let check = try Shopify.normalize(bytes: bytes)
    guard check == (try Shopify.normalize([try JSON.parse(bytes)])) else { throw BenchError.samples("byte and tree paths disagree") }
    guard check.count == options.orders else { throw BenchError.samples("expected \(options.orders) orders, got \(check.count)") }
    let mismatched = check.filter { $0.metadata[AmountMismatch.metadataKey] != nil }.count

    // Main figure: the adapter's hot path (page bytes → orders, one pass, as fetchOrders and
    // webhooks run it). Secondary: JSONCore parse + normalize([JSON]) (CLI / tests path).
    var total: [Double] = []
    var treeTotal: [Double] = []
    var treeParse: [Double] = []
    var sink = 0
    let perOrder = Double(options.pages * options.orders)
    for _ in 0..<options.rounds {
        let t0 = clock.now
        for _ in 0..<options.pages {
            sink &+= try Shopify.normalize(bytes: bytes).count
        }
        let t1 = clock.now
        var parseTime = Duration.zero
        for _ in 0..<options.pages {
            let p0 = clock.now
            let json = try JSON.parse(bytes)
            parseTime += clock.now - p0
            sink &+= try Shopify.normalize([json]).count
        }
        let t2 = clock.now
        total.append(microseconds(t1 - t0) / perOrder)
        treeTotal.append(microseconds(t2 - t1) / perOrder)
        treeParse.append(microseconds(parseTime) / perOrder)
    }
    let result: [(String, Double)] = [
        ("us_per_order_median", median(total)), ("us_per_order_min", total.min() ?? .nan),
        ("tree_path_us_per_order_median", median(treeTotal)), ("tree_parse_us_per_order_median", median(treeParse)),
    ]
    if options.json {
        var object = JSONObject()
        for (key, value) in result { object[key] = JSONNumber((value * 100).rounded() / 100).map(JSON.number) ?? .null }
        object["orders_per_page"] = .number(JSONNumber(options.orders))
        object["page_bytes"] = .number(JSONNumber(bytes.count))
        object["rounds"] = .number(JSONNumber(options.rounds))
        object["target_us_per_order"] = 50
        print(JSON.object(object).serialized())
    } else {
        print("Shopify normalization: \(options.orders)-order page (\(bytes.count / 1024) KiB), \(options.rounds) rounds x \(options.pages) pages")
        for (key, value) in result {
            print("  " + key.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%8.2f", value))
        }
        print("  target: <= 50 us per order per core; orders flagged amount_mismatch: \(mismatched); checksum \(sink)")
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("NormalizationBenchmark: \(error)\n".utf8))
    exit(2)
}
