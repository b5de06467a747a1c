/// An insertion-ordered JSON object. Order is kept so errors and
/// serialisation follow the document; equality ignores order (JSON equality).
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSON)

    public internal(set) var storageKeys: [String]
    public internal(set) var storageValues: [JSON]
    /// Only built for larger objects: small ones are faster to scan linearly.
    var index: [String: Int]?

    static let indexThreshold = 12

    public init() {
        storageKeys = []
        storageValues = []
        index = nil
    }

    /// Later duplicates replace earlier values (keeping the first position).
    public init(_ pairs: [(String, JSON)]) {
        self.init()
        storageKeys.reserveCapacity(pairs.count)
        storageValues.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements)
    }

    /// Builds from parallel arrays the parser has already de-duplicated, with the
    /// parser's index when it built one (not built twice).
    init(uniqueKeys: [String], values: [JSON], index: [String: Int]? = nil) {
        storageKeys = uniqueKeys
        storageValues = values
        self.index = index
        if index == nil, uniqueKeys.count > Self.indexThreshold { rebuildIndex() }
    }

    private mutating func rebuildIndex() {
        var dict = [String: Int](minimumCapacity: storageKeys.count)
        for (i, k) in storageKeys.enumerated() { dict[k] = i }
        index = dict
    }

    public var count: Int { storageKeys.count }
    public var isEmpty: Bool { storageKeys.isEmpty }
    public var keys: [String] { storageKeys }
    public var values: [JSON] { storageValues }

    func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in storageKeys.indices where storageKeys[i] == key { return i }
        return nil
    }

    public func contains(key: String) -> Bool { position(of: key) != nil }

    public subscript(key: String) -> JSON? {
        get {
            guard let i = position(of: key) else { return nil }
            return storageValues[i]
        }
        set {
            if let i = position(of: key) {
                if let newValue {
                    storageValues[i] = newValue
                } else {
                    storageKeys.remove(at: i)
                    storageValues.remove(at: i)
                    if index != nil { rebuildIndex() }
                }
            } else if let newValue {
                storageKeys.append(key)
                storageValues.append(newValue)
                if index != nil {
                    index?[key] = storageKeys.count - 1
                } else if storageKeys.count > Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    public struct Iterator: IteratorProtocol {
        let object: JSONObject
        var i = 0
        public mutating func next() -> Element? {
            guard i < object.storageKeys.count else { return nil }
            defer { i += 1 }
            return (object.storageKeys[i], object.storageValues[i])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for i in lhs.storageKeys.indices {
            guard let v = rhs[lhs.storageKeys[i]], v == lhs.storageValues[i] else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: sum of per-member hashes.
        var acc = 0
        for i in storageKeys.indices {
            var h = Hasher()
            h.combine(storageKeys[i])
            h.combine(storageValues[i])
            acc = acc &+ h.finalize()
        }
        hasher.combine(storageKeys.count)
        hasher.combine(acc)
    }
}
