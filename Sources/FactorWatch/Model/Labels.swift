/// One `name="value"` pair of a series' identity.
public struct Label: Hashable, Sendable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A label set, kept sorted by name with unique names, so equal sets compare and hash equal.
public struct Labels: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    public private(set) var items: [Label]

    public init() { items = [] }

    public init(_ dictionary: [String: String]) {
        items = dictionary.map { Label($0.key, $0.value) }.sorted { $0.name < $1.name }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        var dictionary: [String: String] = [:]
        for (name, value) in elements { dictionary[name] = value }
        self.init(dictionary)
    }

    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }
    public func makeIterator() -> IndexingIterator<[Label]> { items.makeIterator() }

    public subscript(name: String) -> String? {
        get { items.first { $0.name == name }?.value }
        set {
            if let index = items.firstIndex(where: { $0.name == name }) {
                if let newValue { items[index].value = newValue } else { items.remove(at: index) }
            } else if let newValue {
                let at = items.firstIndex { $0.name > name } ?? items.endIndex
                items.insert(Label(name, newValue), at: at)
            }
        }
    }

    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        for item in items { result[item.name] = item.value }
        return result
    }

    public func setting(_ name: String, _ value: String) -> Labels {
        var copy = self
        copy[name] = value
        return copy
    }

    /// Only the named labels (as `by (...)` keeps them).
    public func keeping(_ names: some Collection<String>) -> Labels {
        var copy = self
        copy.items.removeAll { !names.contains($0.name) }
        return copy
    }

    /// All but the named labels (as `without (...)` keeps them).
    public func removing(_ names: some Collection<String>) -> Labels {
        var copy = self
        copy.items.removeAll { names.contains($0.name) }
        return copy
    }

    /// `{a="1", b="2"}`, or `{}`.
    public var description: String {
        "{" + items.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ") + "}"
    }

    /// A stable text key: `a="1",b="2"`; used as the database identity of a series.
    public var key: String {
        items.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ",")
    }

    static func escape(_ value: String) -> String {
        // Most values need no escape; a byte scan says so without building a new string.
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 10 }) else {
            return value
        }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}

extension Labels: Comparable {
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.items, rhs.items) {
            if left.name != right.name { return left.name < right.name }
            if left.value != right.value { return left.value < right.value }
        }
        return lhs.items.count < rhs.items.count
    }
}

extension Labels: Codable {
    public init(from decoder: Decoder) throws {
        self.init(try [String: String](from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        try dictionary.encode(to: encoder)
    }
}
