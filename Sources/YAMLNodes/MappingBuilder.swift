/// Collects a mapping's pairs as the parser delivers them: rejects duplicate keys and applies `<<` merge keys.
struct MappingBuilder {
    let mark: YAMLMark
    let tag: String?
    private(set) var size = 1
    private var pairs: [YAMLPair] = []
    private var pendingKey: YAMLNode?
    /// Scalar keys seen so far, with their pair's index; merged keys may be overridden by explicit ones.
    private var seen: [String: (index: Int, merged: Bool)] = [:]

    init(mark: YAMLMark, tag: String?) {
        self.mark = mark
        self.tag = tag
    }

    var node: YAMLNode { YAMLNode(.mapping(pairs), mark: mark, tag: tag) }

    mutating func add(_ node: YAMLNode, size: Int) throws(YAMLError) {
        self.size += size
        guard let key = pendingKey else {
            pendingKey = node
            return
        }
        pendingKey = nil
        if case .scalar("<<", .plain) = key.kind {
            try merge(node)
            return
        }
        guard case .scalar(let text, _) = key.kind else {
            pairs.append(YAMLPair(key: key, value: node))
            return
        }
        if let previous = seen[text] {
            guard previous.merged else {
                let first = pairs[previous.index].key.mark
                let message = "duplicate key \"\(text)\" (first defined at line \(first.line) column \(first.column))"
                throw YAMLError(message, at: key.mark)
            }
            pairs[previous.index] = YAMLPair(key: key, value: node)
            seen[text] = (previous.index, false)
            return
        }
        seen[text] = (pairs.count, false)
        pairs.append(YAMLPair(key: key, value: node))
    }

    /// `<<: *defaults` or `<<: [*a, *b]`: keys not given here are taken from the merged mappings, earlier first.
    private mutating func merge(_ value: YAMLNode) throws(YAMLError) {
        let sources: [YAMLNode]
        switch value.kind {
        case .mapping: sources = [value]
        case .sequence(let items): sources = items
        case .scalar: throw YAMLError("a merge key \"<<\" needs a mapping or a list of mappings", at: value.mark)
        }
        for source in sources {
            guard case .mapping(let merged) = source.kind else {
                throw YAMLError("a merge key \"<<\" needs a mapping or a list of mappings", at: source.mark)
            }
            for pair in merged {
                guard case .scalar(let text, _) = pair.key.kind else {
                    pairs.append(pair)
                    continue
                }
                if seen[text] != nil { continue }
                seen[text] = (pairs.count, true)
                pairs.append(pair)
            }
        }
    }
}
