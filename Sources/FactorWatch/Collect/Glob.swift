/// A shell-style path pattern: `*` and `?` within one path component, `[abc]`, `[a-z]`, `[!a-z]` (or `[^a-z]`),
/// `\` to escape, and `**` as a whole component for zero or more directories.
///
/// As in the shell, wildcards do not match a leading `.` of a name, and an unclosed `[` is an ordinary character.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let components: [[Character]]
    private let isAbsolute: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        isAbsolute = pattern.hasPrefix("/")
        components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(Array.init)
    }

    public var description: String { pattern }

    /// What a walk found: matching paths (sorted) and directories that exist but could not be read.
    public struct Expansion: Sendable, Equatable {
        public var paths: [String]
        public var unreadable: [FileSystem.Failure]
    }

    /// Whether `path` matches the whole pattern, component by component.
    public func matches(path: String) -> Bool {
        guard path.hasPrefix("/") == isAbsolute else { return false }
        let names = path.split(separator: "/", omittingEmptySubsequences: true).map(Array.init)
        return Glob.match(components[...], names[...])
    }

    private static func match(_ patterns: ArraySlice<[Character]>, _ names: ArraySlice<[Character]>) -> Bool {
        guard let first = patterns.first else { return names.isEmpty }
        if first == ["*", "*"] {
            // Zero directories, or one more (not a hidden one) and try again.
            if match(patterns.dropFirst(), names) { return true }
            guard let name = names.first, name.first != "." else { return false }
            return match(patterns, names.dropFirst())
        }
        guard let name = names.first, matchName(pattern: first, name: name) else { return false }
        return match(patterns.dropFirst(), names.dropFirst())
    }

    /// Walks the file system for every existing path that matches. Missing directories are not errors;
    /// directories that exist but cannot be listed are reported in `unreadable`.
    public func expand() -> Expansion {
        // No wildcard and no escape: the one path the pattern names, if it exists (no component walk).
        if !pattern.utf8.contains(where: { $0 == 0x2A || $0 == 0x3F || $0 == 0x5B || $0 == 0x5C }) {
            let path = (isAbsolute ? "/" : "") + components.map { String($0) }.joined(separator: "/")
            let exists = !path.isEmpty && (try? FileSystem.status(path, followLinks: false)) != nil
            return Expansion(paths: exists ? [path] : [], unreadable: [])
        }
        var candidates = [isAbsolute ? "/" : ""]
        var unreadable: [FileSystem.Failure] = []
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            var next: [String] = []
            if component == ["*", "*"] {
                for base in candidates {
                    next.append(base)
                    Glob.descend(base, into: &next, unreadable: &unreadable)
                }
            } else if !Glob.hasWildcard(component) {
                let literal = Glob.unescape(component)
                next = candidates.map { FileSystem.join($0, literal) }
            } else {
                for base in candidates {
                    let directory = base.isEmpty ? "." : base
                    let entries: [FileSystem.Entry]
                    do {
                        entries = try FileSystem.entries(directory)
                    } catch {
                        if !error.isMissing { unreadable.append(error) }
                        continue
                    }
                    for entry in entries where Glob.matchName(pattern: component, name: Array(entry.name)) {
                        let path = FileSystem.join(base, entry.name)
                        if isLast || entry.isDirectory != false { next.append(path) }
                    }
                }
            }
            candidates = next
        }
        // A trailing `**` yields directories; literal components may name things that do not exist.
        var seen = Set<String>()
        let paths = candidates.filter { path in
            !path.isEmpty && seen.insert(path).inserted && (try? FileSystem.status(path, followLinks: false)) != nil
        }
        return Expansion(paths: paths.sorted(), unreadable: unreadable)
    }

    /// Every directory below `base` (not following symbolic links, skipping hidden ones), depth first.
    private static func descend(_ base: String, into result: inout [String], unreadable: inout [FileSystem.Failure]) {
        let entries: [FileSystem.Entry]
        do {
            entries = try FileSystem.entries(base.isEmpty ? "." : base)
        } catch {
            if !error.isMissing { unreadable.append(error) }
            return
        }
        for entry in entries.sorted(by: { $0.name < $1.name }) where !entry.name.hasPrefix(".") {
            let path = FileSystem.join(base, entry.name)
            let isDirectory =
                entry.isDirectory
                ?? ((try? FileSystem.status(path, followLinks: false))?.kind == .directory)
            guard isDirectory else { continue }
            result.append(path)
            descend(path, into: &result, unreadable: &unreadable)
        }
    }

    static func hasWildcard(_ component: [Character]) -> Bool {
        component.contains { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }
    }

    static func unescape(_ component: [Character]) -> String {
        var result = ""
        var escaped = false
        for character in component {
            if character == "\\" && !escaped {
                escaped = true
                continue
            }
            result.append(character)
            escaped = false
        }
        return result
    }

    /// Matches one path component against one pattern component (no `/` in either).
    public static func matchName(pattern: [Character], name: [Character]) -> Bool {
        // A wildcard never matches a leading dot.
        if name.first == ".", let head = pattern.first, head != "." {
            guard head == "\\", pattern.count > 1, pattern[1] == "." else { return false }
        }
        var p = 0
        var n = 0
        var star: Int?
        var resume = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = n
                p += 1
                continue
            }
            if p < pattern.count, let length = matchOne(pattern, at: p, name[n]) {
                p += length
                n += 1
                continue
            }
            guard let starAt = star else { return false }
            p = starAt + 1
            resume += 1
            n = resume
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    public static func matchName(pattern: String, name: String) -> Bool {
        matchName(pattern: Array(pattern), name: Array(name))
    }

    /// If the single-character token at `index` matches `character`, the token's length in the pattern.
    private static func matchOne(_ pattern: [Character], at index: Int, _ character: Character) -> Int? {
        switch pattern[index] {
        case "?":
            return 1
        case "\\" where index + 1 < pattern.count:
            return pattern[index + 1] == character ? 2 : nil
        case "[":
            guard let (matched, length) = matchClass(pattern, at: index, character) else {
                return character == "[" ? 1 : nil
            }
            return matched ? length : nil
        case let literal:
            return literal == character ? 1 : nil
        }
    }

    /// `[...]` at `index`: whether it matches and its length, or nil when it never closes.
    private static func matchClass(_ pattern: [Character], at index: Int, _ character: Character) -> (Bool, Int)? {
        var i = index + 1
        var negated = false
        if i < pattern.count, pattern[i] == "!" || pattern[i] == "^" {
            negated = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.count {
            var low = pattern[i]
            if low == "]" && !first { return (matched != negated, i - index + 1) }
            first = false
            if low == "\\", i + 1 < pattern.count {
                i += 1
                low = pattern[i]
            }
            if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
                var high = pattern[i + 2]
                i += 2
                if high == "\\", i + 1 < pattern.count {
                    i += 1
                    high = pattern[i]
                }
                if low <= character && character <= high { matched = true }
            } else if low == character {
                matched = true
            }
            i += 1
        }
        return nil
    }
}
