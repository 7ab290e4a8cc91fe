#if canImport(Glibc)
import Glibc
#endif

/// Whether a load reuses parsed rule files (`ParsedFileCache`): not at all, reading the cache only (a dry run,
/// which writes nothing), or reading and keeping it up to date.
public enum RuleFileCaching: Sendable {
    case off, readOnly, readWrite
}

extension ConfigLoader {
    /// `rules:` (globs relative to the main file; default rules/*.yaml): the rules, each name once, and the
    /// `inhibit:` entries the rule files carry.
    static func loadRules(_ fields: Fields, root: ConfigNode, directory: String, decoder: NodeDecoder,
                          environment: [String: String], cache: ParsedFileCache? = nil)
        -> (rules: [Rule], inhibitRules: [InhibitRule]) {
        let problems = decoder.problems
    let ruleFiles: [String]
    let rulePatterns = fields["rules"].flatMap { node -> [(String, SourceLocation)]? in
        decoder.list(node, what: "rules")?.compactMap { item in
            decoder.path(item, what: "rules").map { ($0, item.location) }
        }
    } ?? [(directory + "/rules/*.yaml", root.location)]
    ruleFiles = ConfigLoader.ruleFiles(rulePatterns, problems: problems)
    var rules: [Rule] = []
    var seen: [String: SourceLocation] = [:]
    var inhibitRules: [InhibitRule] = []
    for ruleFile in ruleFiles {
        let decoded = RuleFileDecoder.decodeWithInhibitions(file: ruleFile, problems: problems, environment: environment,
                                                            cache: cache)
        inhibitRules += decoded.inhibitRules
        for rule in decoded.rules {
            if let first = seen[rule.name] {
                problems.error(rule.location ?? root.location, "duplicate rule name \"\(rule.name)\" "
                               + "(first defined at \(first)); alert names must be unique")
                continue
            }
            seen[rule.name] = rule.location
            rules.append(rule)
        }
    }

    if rules.isEmpty && problems.errors.isEmpty {
        problems.error(fields["rules"]?.location ?? root.location, "no rules loaded from "
                       + ruleFiles.joined(separator: ", ") + "; a configuration without rules watches nothing")
    }
        return (rules, inhibitRules)
    }

    /// The rule files `rules:` names. A pattern that matches nothing, or a match that is not a readable regular
    /// file (a directory, a dangling link, a link loop), is an error naming it: rules never vanish silently.
    static func ruleFiles(_ patterns: [(String, SourceLocation)], problems: ProblemList) -> [String] {
        var files: [String] = []
        for (pattern, location) in patterns {
            let expansion = Glob(pattern).expand()
            for failure in expansion.unreadable {
                problems.error(location, "rules: cannot list \(failure.path): \(failure.reason)")
            }
            if expansion.paths.isEmpty {
                problems.error(location, "no rule file matches \(pattern); a configuration without its rules "
                               + "would watch nothing")
            }
            for path in expansion.paths.sorted() {
                if let problem = ruleFileProblem(path) {
                    problems.error(SourceLocation(file: path, line: 1, column: 1), "rule file \(problem)")
                } else {
                    files.append(path)
                }
            }
        }
        return files
    }

    /// Why `path` cannot be read as a rule file, or nil.
    private static func ruleFileProblem(_ path: String) -> String? {
        let status: FileSystem.Status
        do {
            status = try FileSystem.status(path)
        } catch {
            if (try? FileSystem.status(path, followLinks: false).kind) == .symbolicLink {
                return error.code == ELOOP ? "is a symbolic link loop" : "is a dangling symbolic link (\(error.reason))"
            }
            return "cannot be read: \(error.reason)"
        }
        switch status.kind {
        case .regular: return access(path, R_OK) == 0 ? nil : "cannot be read: \(String(cString: strerror(errno)))"
        case .directory: return "is a directory, not a file"
        default: return "is not a regular file"
        }
    }
}
