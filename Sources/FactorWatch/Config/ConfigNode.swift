/// A configuration value with where it was written. Built from the YAML tree; every decoding step reports
/// problems at a node's own line and column.
struct ConfigNode {
    var value: ConfigValue
    var location: SourceLocation

    var typeName: String {
        switch value {
        case .null: "nothing"
        case .scalar: "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// What a configuration node holds.
indirect enum ConfigValue {
    case null
    case scalar(String, quoted: Bool)
    case sequence([ConfigNode])
    case mapping([ConfigEntry])
}

/// One `key: value` of a mapping; the key keeps its own position.
struct ConfigEntry {
    var key: String
    var keyLocation: SourceLocation
    var value: ConfigNode
}

/// Decodes nodes strictly: unknown keys, wrong types and missing variables become problems, never crashes.
struct NodeDecoder {
    let problems: ProblemList
    let environment: [String: String]
    /// The directory relative paths are resolved against (the file's own directory).
    let directory: String

    /// A scalar as text, with `${NAME}` replaced from the environment.
    func string(_ node: ConfigNode, what: String) -> String? {
        switch node.value {
        case .scalar(let text, _):
            return expand(text, at: node.location)
        case .null:
            problems.error(node.location, "\(what) is empty; expected a value")
        default:
            problems.error(node.location, "\(what) must be a single value, not \(node.typeName)")
        }
        return nil
    }

    func expand(_ text: String, at location: SourceLocation) -> String? {
        // A byte scan: every scalar of every configuration and rule file passes here.
        guard hasVariable(text) else { return text }
        var result = ""
        var rest = Substring(text)
        var ok = true
        while let start = rest.firstRange(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                problems.error(location, "unclosed \"${\" in \"\(text)\"")
                return nil
            }
            let name = String(rest[start.upperBound..<end])
            if let value = environment[name] {
                result += value
            } else {
                problems.error(location, "environment variable \(name) is not set (used as ${\(name)})")
                ok = false
            }
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return ok ? result : nil
    }

    /// Whether `text` holds `${` (templates' `$labels` alone do not count), by bytes.
    private func hasVariable(_ text: String) -> Bool {
        var afterDollar = false
        for byte in text.utf8 {
            if afterDollar && byte == UInt8(ascii: "{") { return true }
            afterDollar = byte == UInt8(ascii: "$")
        }
        return false
    }

    func double(_ node: ConfigNode, what: String) -> Double? {
        guard let text = string(node, what: what) else { return nil }
        guard let value = Double(text.trimmed()), value.isFinite else {
            problems.error(node.location, "\(what) must be a number, not \"\(text)\"")
            return nil
        }
        return value
    }

    /// A whole number within `range` (every count in the configuration is one).
    func int(_ node: ConfigNode, what: String, range: ClosedRange<Int> = 0...1_000_000) -> Int? {
        guard let text = string(node, what: what) else { return nil }
        guard let value = Int(text.trimmed()) else {
            problems.error(node.location, "\(what) must be a whole number, not \"\(text)\"")
            return nil
        }
        guard range.contains(value) else {
            problems.error(node.location, "\(what) must be between \(range.lowerBound) and \(range.upperBound), "
                           + "not \(value)")
            return nil
        }
        return value
    }

    func bool(_ node: ConfigNode, what: String) -> Bool? {
        guard let text = string(node, what: what) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            problems.error(node.location, "\(what) must be true or false, not \"\(text)\"")
            return nil
        }
    }

    /// `15m`, `2h`, `1d`, `90s` or a number of seconds.
    func duration(_ node: ConfigNode, what: String) -> Double? {
        guard let text = string(node, what: what) else { return nil }
        guard let value = parseDuration(text) else {
            problems.error(node.location, "\(what) must be a duration such as 30s, 15m, 2h, 1d (at most 3650d); "
                           + "not \"\(text)\"")
            return nil
        }
        return value
    }

    /// A path, relative to the file that names it.
    func path(_ node: ConfigNode, what: String) -> String? {
        guard let text = string(node, what: what) else { return nil }
        return resolvePath(text, relativeTo: directory)
    }

    func list(_ node: ConfigNode, what: String) -> [ConfigNode]? {
        switch node.value {
        case .sequence(let items): return items
        case .scalar: return [node]
        case .null: return []
        case .mapping:
            problems.error(node.location, "\(what) must be a list, not a mapping")
            return nil
        }
    }

    func strings(_ node: ConfigNode, what: String) -> [String]? {
        guard let items = list(node, what: what) else { return nil }
        let values = items.compactMap { string($0, what: what) }
        return values.count == items.count ? values : nil
    }

    /// A mapping whose keys must be among `allowed`; unknown keys are reported with the closest valid one.
    func fields(_ node: ConfigNode, what: String, allowed: [String]) -> Fields? {
        switch node.value {
        case .mapping(let entries):
            for entry in entries where !allowed.contains(entry.key) {
                problems.error(entry.keyLocation,
                               "unknown key \"\(entry.key)\" in \(what); \(suggestion(for: entry.key, in: allowed))")
            }
            return Fields(node: node, entries: entries.filter { allowed.contains($0.key) }, what: what)
        case .null:
            return Fields(node: node, entries: [], what: what)
        default:
            problems.error(node.location, "\(what) must be a mapping (key: value), not \(node.typeName)")
            return nil
        }
    }

    /// Entries of a mapping whose keys are names (channels, collectors' entries), in file order.
    func entries(_ node: ConfigNode, what: String) -> [ConfigEntry]? {
        switch node.value {
        case .mapping(let entries): return entries
        case .null: return []
        default:
            problems.error(node.location, "\(what) must be a mapping (name: settings), not \(node.typeName)")
            return nil
        }
    }
}

/// The known keys of one mapping.
struct Fields {
    let node: ConfigNode
    let entries: [ConfigEntry]
    let what: String

    subscript(key: String) -> ConfigNode? { entries.first { $0.key == key }?.value }

    func has(_ key: String) -> Bool { self[key] != nil }

    /// Reports a missing required key at the mapping's own position.
    func required(_ key: String, _ problems: ProblemList) -> ConfigNode? {
        if let node = self[key] { return node }
        problems.error(node.location, "\(what) needs \"\(key)\"")
        return nil
    }
}

/// `path` made absolute against `directory` unless it already is; `~/` expands to $HOME.
func resolvePath(_ path: String, relativeTo directory: String) -> String {
    if path == "-" || path.hasPrefix("/") { return path }
    if path.hasPrefix("~/"), let home = getHome() { return home + path.dropFirst(1) }
    let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    return normalizePath(base + "/" + path)
}

/// Removes `.` and resolves `..` components textually.
func normalizePath(_ path: String) -> String {
    var parts: [Substring] = []
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
        if component == "." { continue }
        if component == "..", let last = parts.last, last != ".." {
            parts.removeLast()
            continue
        }
        parts.append(component)
    }
    return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
}
