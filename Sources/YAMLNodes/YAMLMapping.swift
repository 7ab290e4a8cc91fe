/// A mapping whose keys are strings, for keyed decoding. Keys keep their order and their own marks.
public struct YAMLMapping: Sendable, Equatable {
    /// The mapping node itself (its mark is where missing-key errors point).
    public let node: YAMLNode
    public let pairs: [YAMLPair]
    /// The key strings, in document order.
    public let keys: [String]

    init(node: YAMLNode, pairs: [YAMLPair], keys: [String]) {
        self.node = node
        self.pairs = pairs
        self.keys = keys
    }

    public var mark: YAMLMark { node.mark }
    public var isEmpty: Bool { pairs.isEmpty }

    /// The value under `key` as written, null included.
    public subscript(key: String) -> YAMLNode? {
        keys.firstIndex(of: key).map { pairs[$0].value }
    }

    /// The key node itself, for errors about the key rather than its value.
    public func keyNode(_ key: String) -> YAMLNode? {
        keys.firstIndex(of: key).map { pairs[$0].key }
    }

    public func contains(_ key: String) -> Bool { keys.contains(key) }

    /// The value under `key`; missing (error at the mapping) or null (error at the key) is an error.
    public func required(_ key: String) throws(YAMLError) -> YAMLNode {
        guard let index = keys.firstIndex(of: key) else {
            throw node.error("missing key \"\(key)\"")
        }
        let value = pairs[index].value
        if value.isNull { throw pairs[index].key.error("key \"\(key)\" needs a value") }
        return value
    }

    /// The value under `key`, or nil when the key is absent or its value is null.
    public func optional(_ key: String) -> YAMLNode? {
        guard let value = self[key], !value.isNull else { return nil }
        return value
    }

    /// Each key with its value, in document order.
    public var entries: [(key: String, value: YAMLNode)] {
        zip(keys, pairs).map { ($0, $1.value) }
    }
}

extension YAMLNode {
    /// The node as a mapping with string keys. Null (an empty value) reads as an empty mapping.
    public func mapping() throws(YAMLError) -> YAMLMapping {
        if isNull { return YAMLMapping(node: self, pairs: [], keys: []) }
        guard case .mapping(let pairs) = kind else { throw error("expected a mapping, found \(kindDescription)") }
        var keys: [String] = []
        keys.reserveCapacity(pairs.count)
        for pair in pairs {
            guard case .scalar(let text, _) = pair.key.kind, !pair.key.isNull else {
                throw pair.key.error("expected a string key, found \(pair.key.kindDescription)")
            }
            keys.append(text)
        }
        return YAMLMapping(node: self, pairs: pairs, keys: keys)
    }

    /// A mapping that may only use `allowed` keys: an unknown key is an error at that key, with the closest
    /// allowed key suggested, or the list of allowed keys when none is close.
    public func strictMapping(allowed: [String]) throws(YAMLError) -> YAMLMapping {
        let map = try mapping()
        for (index, key) in map.keys.enumerated() where !allowed.contains(key) {
            let keyNode = map.pairs[index].key
            if let near = Suggestion.closest(to: key, among: allowed) {
                throw keyNode.error("unknown key \"\(key)\", did you mean \"\(near)\"?")
            }
            throw keyNode.error("unknown key \"\(key)\" (valid keys: " + allowed.joined(separator: ", ") + ")")
        }
        return map
    }

    /// A mapping of strings to strings, such as labels or form fields; numbers and booleans as written.
    public func stringPairs() throws(YAMLError) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        for (key, value) in try mapping().entries { result.append((key, try value.string())) }
        return result
    }
}
