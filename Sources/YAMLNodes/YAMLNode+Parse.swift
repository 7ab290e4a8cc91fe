import CYAML

extension YAMLNode {
    /// Aliases may expand a document to at most this many nodes; more is refused (the "billion laughs" attack).
    public static let defaultNodeLimit = 250_000
    /// Collections may nest at most this deep. Deeper is refused at the collection that crosses it, before libyaml
    /// or the tree (whose teardown recurses) can spend quadratic time or the stack on it.
    public static let maxDepth = 100

    /// The single document in `text`. An empty stream (nothing but comments, or nothing) is a null node at 1:1;
    /// a second document is an error at its start.
    public static func parse(_ text: String, file: String? = nil, nodeLimit: Int = defaultNodeLimit)
        throws(YAMLError) -> YAMLNode
    {
        var reader = YAMLEventReader(text: text, file: file, nodeLimit: nodeLimit)
        let documents = try reader.read()
        if documents.count > 1 {
            throw YAMLError(
                "expected a single document, found another one here (remove the \"---\" or split the file)",
                at: reader.documentMarks[1])
        }
        return documents.first ?? YAMLNode(.scalar("", .plain), mark: YAMLMark(file: file, line: 1, column: 1))
    }

    /// Every document in `text`, in order; empty for an empty stream.
    public static func parseAll(_ text: String, file: String? = nil, nodeLimit: Int = defaultNodeLimit)
        throws(YAMLError) -> [YAMLNode]
    {
        var reader = YAMLEventReader(text: text, file: file, nodeLimit: nodeLimit)
        return try reader.read()
    }
}

/// Builds node trees from libyaml's event stream.
struct YAMLEventReader {
    let text: String
    let file: String?
    let nodeLimit: Int
    private(set) var documentMarks: [YAMLMark] = []

    private struct Anchored {
        var node: YAMLNode
        var size: Int
    }

    /// An open collection. Mutated in place on the stack so appends do not copy the items.
    private struct Frame {
        var anchor: String?
        var sequence: (mark: YAMLMark, tag: String?, items: [YAMLNode], size: Int)?
        var mapping: MappingBuilder?
    }

    private var anchors: [String: Anchored] = [:]
    private var stack: [Frame] = []
    private var root: YAMLNode?
    private var nodeCount = 0

    init(text: String, file: String?, nodeLimit: Int) {
        self.text = text
        self.file = file
        self.nodeLimit = nodeLimit
    }

    mutating func read() throws(YAMLError) -> [YAMLNode] {
        // libyaml wants a non-null pointer even for empty input; the trailing NUL is not passed as input. The
        // encoding is left to libyaml so a byte-order mark is skipped.
        let bytes = Array(text.utf8) + [0]
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError("cannot initialise the YAML parser (out of memory)", file: file, line: 1, column: 1)
        }
        defer { yaml_parser_delete(&parser) }
        var documents: [YAMLNode] = []
        let outcome = bytes.withUnsafeBufferPointer { buffer -> YAMLError? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count - 1)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return YAMLErrorWording(text: text, file: file).error(from: parser)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                do throws(YAMLError) {
                    if let document = try handle(event) { documents.append(document) }
                } catch {
                    return error
                }
            }
        }
        if let outcome { throw outcome }
        return documents
    }

    private func mark(_ raw: yaml_mark_t) -> YAMLMark {
        YAMLMark(file: file, line: Int(raw.line) + 1, column: Int(raw.column) + 1, index: Int(raw.index))
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    /// Returns a finished document's root at its end.
    private mutating func handle(_ event: yaml_event_t) throws(YAMLError) -> YAMLNode? {
        let start = mark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentMarks.append(start)
            anchors = [:]
            nodeCount = 0
        case YAML_DOCUMENT_END_EVENT:
            defer { root = nil }
            return root ?? YAMLNode(.scalar("", .plain), mark: start)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let node = YAMLNode(.scalar(value, Self.style(scalar.style)), mark: start, tag: Self.string(scalar.tag))
            try add(node, size: 1, anchor: Self.string(scalar.anchor))
        case YAML_SEQUENCE_START_EVENT where stack.count >= YAMLNode.maxDepth,
             YAML_MAPPING_START_EVENT where stack.count >= YAMLNode.maxDepth:
            throw YAMLError("collections nest deeper than \(YAMLNode.maxDepth) levels here; refusing to read further",
                            at: start)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            stack.append(Frame(anchor: Self.string(data.anchor), sequence: (start, Self.string(data.tag), [], 1)))
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            stack.append(Frame(anchor: Self.string(data.anchor),
                               mapping: MappingBuilder(mark: start, tag: Self.string(data.tag))))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            if let sequence = frame.sequence {
                let node = YAMLNode(.sequence(sequence.items), mark: sequence.mark, tag: sequence.tag)
                try add(node, size: sequence.size, anchor: frame.anchor)
            } else if let builder = frame.mapping {
                try add(builder.node, size: builder.size, anchor: frame.anchor)
            }
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw YAMLError("unknown alias \"*\(name)\" (an anchor \"&\(name)\" must come before its use)",
                                at: start)
            }
            try add(target.node, size: target.size, anchor: nil, countFrom: start)
        default:
            break
        }
        return nil
    }

    private mutating func add(_ node: YAMLNode, size: Int, anchor: String?, countFrom alias: YAMLMark? = nil)
        throws(YAMLError)
    {
        // Each node counts once when it is finished; an alias counts everything it expands to.
        nodeCount += alias == nil ? 1 : size
        if nodeCount > nodeLimit {
            if let alias {
                throw YAMLError("aliases expand this document beyond \(nodeLimit) nodes; refusing to expand further",
                                at: alias)
            }
            throw YAMLError("document has more than \(nodeLimit) nodes", at: node.mark)
        }
        if let anchor { anchors[anchor] = Anchored(node: node, size: size) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        if stack[top].sequence != nil {
            stack[top].sequence!.items.append(node)
            stack[top].sequence!.size += size
        } else {
            try stack[top].mapping!.add(node, size: size)
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}

extension YAMLNode {
    var isCollection: Bool {
        if case .scalar = kind { return false }
        return true
    }
}
