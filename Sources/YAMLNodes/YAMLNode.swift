/// A YAML document as a tree of nodes that remember where they came from.
///
/// Parsing (libyaml underneath; anchors and aliases expanded, duplicate keys rejected):
///
///     let root = try YAMLNode.parse(text, file: "rules/factors.yaml")  // one document; empty text → null node
///     let docs = try YAMLNode.parseAll(text, file: path)                // every document in a stream
///
/// Decoding, each accessor throwing a `YAMLError` that points at the offending node (`file:line:column: …`):
///
///     let map = try root.strictMapping(allowed: ["alert", "expr", "severity", "for"])  // unknown key → suggestion
///     let name = try map.required("alert").string()       // missing key → error at the mapping
///     let hold = try map.optional("for")?.string()        // nil when absent or null
///     let level = try map.required("severity").oneOf(["critical", "high", "medium", "low"])
///     for rule in try root.sequence() { … }              // [YAMLNode]
///     try node.int(), node.double(), node.bool(), node.isNull, node.strings(), node.stringPairs()
///     throw node.error("repeat must be positive")        // a YAMLError at the node's mark
///
/// Numbers and booleans follow the YAML 1.2 core schema and must be plain (unquoted) scalars, so `"1"` is a
/// string and `1` an integer; only `true`/`false` are booleans.
public struct YAMLNode: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var kind: Kind
    /// Where the node starts: the first key of a block mapping, the `-` of a block sequence, the opening quote.
    public var mark: YAMLMark
    /// The explicit tag, resolved (`!!str` is `tag:yaml.org,2002:str`); nil when the node has none.
    public var tag: String?

    public init(_ kind: Kind, mark: YAMLMark, tag: String? = nil) {
        self.kind = kind
        self.mark = mark
        self.tag = tag
    }
}

public enum ScalarStyle: Sendable, Equatable {
    case plain, singleQuoted, doubleQuoted, literal, folded

    /// Quoted and block scalars are always strings; only plain ones can be numbers, booleans or null.
    public var isPlain: Bool { self == .plain }
}

/// One entry of a mapping; the key keeps its own mark.
public struct YAMLPair: Sendable, Equatable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A position in a YAML source: 1-based line and column (in characters), and the 0-based character index.
public struct YAMLMark: Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int
    public var column: Int
    public var index: Int

    public init(file: String? = nil, line: Int, column: Int, index: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
        self.index = index
    }

    /// `rules/a.yaml:3:7`, or `3:7` without a file.
    public var description: String {
        (file.map { $0 + ":" } ?? "") + "\(line):\(column)"
    }
}

extension YAMLNode: CustomStringConvertible {
    /// A compact flow-style rendering, for messages and tests.
    public var description: String {
        switch kind {
        case .scalar(let text, let style):
            switch style {
            case .plain: return text
            case .singleQuoted: return "'" + text + "'"
            default: return "\"" + text + "\""
            }
        case .sequence(let items):
            return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key.description): \($0.value.description)" }.joined(separator: ", ") + "}"
        }
    }
}
