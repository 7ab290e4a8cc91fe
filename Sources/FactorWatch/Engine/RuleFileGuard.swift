/// Remembers which rule files the last evaluation loaded, so a rule file that disappears is a loud alert and
/// not a silent loss of its rules and their alerts.
///
/// The state database keeps, per rule file, its rules and their worst severity. When a file the last run loaded is
/// gone, `RuleFileMissing{file=…}` fires at (at least) that severity, and the alerts of its rules keep their state.
/// `eval --accept-rule-changes` forgets the missing files: their rules' alerts then resolve with a notice. A rule
/// deleted from a file that is still there resolves its alerts with a notice at once.
struct RuleFileGuard {
    static let memoryCollector = "factorwatch"
    static let memoryKey = "rule_files"
    static let alertName = "RuleFileMissing"

    struct FileRecord: Equatable {
        var severity: Severity
        var rules: [String]
    }

    /// Rule file → what it held, as last stored.
    let known: [String: FileRecord]
    /// Rule file → what it holds now.
    let current: [String: FileRecord]

    init(stored: String?, rules: [Rule]) {
        var known: [String: FileRecord] = [:]
        for line in (stored ?? "").split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let severity = Severity(rawValue: parts[1]) else { continue }
            known[parts[0]] = FileRecord(severity: severity, rules: parts[2].split(separator: ",").map(String.init))
        }
        self.known = known
        var current: [String: FileRecord] = [:]
        for rule in rules {
            guard let file = rule.location?.file else { continue }
            // Changed in place: a copy taken out and put back would copy the rule list at every rule.
            current[file, default: FileRecord(severity: rule.severity, rules: [])].severity =
                max(current[file]?.severity ?? rule.severity, rule.severity)
            current[file]!.rules.append(rule.name)
        }
        self.current = current
    }

    /// Files the last run loaded that this run does not, with what they held.
    var vanished: [String: FileRecord] { known.filter { current[$0.key] == nil } }

    /// The rules of vanished files that no loaded file defines now: their alerts are kept.
    func vanishedRules(defined: Set<String>) -> [String: String] {
        var rules: [String: String] = [:]
        for (file, record) in vanished {
            for rule in record.rules where !defined.contains(rule) { rules[rule] = file }
        }
        return rules
    }

    /// What to store after this run: the loaded files, plus the vanished ones unless they are accepted as removed.
    func stored(accepting: Bool) -> String {
        let files = accepting ? current : current.merging(vanished) { a, _ in a }
        return files.keys.sorted().map { file in
            let record = files[file]!
            return "\(file)\t\(record.severity.rawValue)\t\(record.rules.joined(separator: ","))"
        }.joined(separator: "\n")
    }

    /// The alert that reports vanished files, paging at least at the worst severity their rules had.
    func alertRule() -> Rule {
        let worst = vanished.values.map(\.severity).max() ?? .high
        // Both expressions are constant text that parses.
        return Rule(name: RuleFileGuard.alertName, expression: try! RuleExpression("factorwatch_rule_file_missing > 0"),
                    severity: max(worst, .high),
                    summary: try? Template("Rule file {{ $labels.file }} is gone; its rules are not evaluated"),
                    description: try? Template("The alerts of its rules keep their state until the file is back. "
                                               + "To remove it on purpose, run factorwatch eval --accept-rule-changes."))
    }

    /// One observation per vanished file, for `alertRule`.
    var observations: [Observation] {
        vanished.keys.sorted().map { Observation("factorwatch_rule_file_missing", ["file": $0], 1) }
    }

    /// A stand-in for a rule no loaded file defines, so its alerts go through the same state machine: with the
    /// file gone they are kept; removed on purpose, they resolve with a notice.
    static func standIn(named name: String, severity: Severity) -> Rule {
        Rule(name: name, expression: try! RuleExpression("factorwatch_rule_removed > 0"), severity: severity)
    }
}
