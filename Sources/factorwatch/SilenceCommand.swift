import ArgumentParser
import FactorWatch

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

struct SilenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Silence alerts matching a rule and labels until a time; silenced alerts are recorded, not sent.",
        subcommands: [Add.self, List.self, Expire.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a silence.",
            discussion: """
                Example: factorwatch silence add --rule DiskAlmostFull --match path=/data --until 2026-11-25T09:00 \
                --comment "moving old files to the archive"
                """)

        @OptionGroup var common: CommonOptions

        @Option(name: .long, help: ArgumentHelp("The alert (rule) name; every rule when left out.", valueName: "name"))
        var rule: String?

        @Option(name: .long, help: ArgumentHelp("A label matcher: name=value, name!=value, name=~regex or name!~regex (repeatable).",
                                                valueName: "matcher"))
        var match: [String] = []

        @Option(name: .long, help: ArgumentHelp("When it ends: ISO 8601 time, or a duration from now (2h, 1d).",
                                                valueName: "time"))
        var until: String

        @Option(name: .long, help: ArgumentHelp("When it starts (default now).", valueName: "time"))
        var from: String?

        @Option(name: .long, help: "Why: shown with every silenced alert.")
        var comment: String

        @Option(name: .long, help: ArgumentHelp("Who (default $USER).", valueName: "name"))
        var author: String?

        func run() throws {
            let configuration = try common.load().configuration
            let now = Date()
            let start = try from.map { try parseNow($0, zone: configuration.zone) } ?? now
            guard let end = parseUntil(until, from: now, zone: configuration.zone) else {
                printError("--until: cannot read \"\(until)\"; use ISO 8601 (2026-11-25T09:00) or a duration (2h)")
                throw ExitCode(2)
            }
            guard end > start else {
                printError("--until must be after the start (\(Timestamp.format(start, in: configuration.zone)))")
                throw ExitCode(2)
            }
            var matchers: [SilenceMatcher] = []
            for text in match {
                guard let matcher = SilenceMatcher(parsing: text) else {
                    printError("--match: cannot read \"\(text)\"; use name=value, name!=value, name=~regex or name!~regex")
                    throw ExitCode(2)
                }
                matchers.append(matcher)
            }
            if let rule, !configuration.rules.contains(where: { $0.name == rule }) {
                printError("warning: no rule is named \"\(rule)\"; the silence will match nothing until one is")
            }
            guard rule != nil || !matchers.isEmpty else {
                printError("give --rule or at least one --match; a silence of everything is not allowed")
                throw ExitCode(2)
            }
            let store = try openStore(configuration)
            let silence = Silence(rule: rule, matchers: matchers, startsAt: start, endsAt: end, comment: comment,
                                  createdBy: author ?? environmentValue("USER") ?? "unknown", createdAt: now)
            let id = try store.transaction { try store.add(silence) }
            output("silence #\(id) until \(Timestamp.format(end, in: configuration.zone))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List active and future silences (--all: expired too).")

        @OptionGroup var common: CommonOptions

        @Flag(name: .long, help: "Include expired silences.")
        var all = false

        func run() throws {
            let configuration = try common.load().configuration
            let store = try StateStore(path: configuration.statePath, readOnly: true)
            let now = Date()
            let silences = try store.silences().filter { all || $0.endsAt > now }
            let zone = configuration.zone
            switch common.format {
            case .json:
                output(encodeJSON(silences.map { SilenceJSON($0, zone: zone, now: now) }))
            case .text:
                if silences.isEmpty { output("no silences") }
                for silence in silences {
                    let state = silence.isActive(at: now) ? "active" : silence.endsAt <= now ? "expired" : "pending"
                    let what = ([silence.rule.map { "alertname=\"\($0)\"" }].compactMap { $0 }
                                + silence.matchers.map(\.description)).joined(separator: ", ")
                    output("#\(silence.id) \(state) {\(what)} \(Timestamp.format(silence.startsAt, in: zone)) → "
                           + "\(Timestamp.format(silence.endsAt, in: zone)) by \(silence.createdBy): \(silence.comment)")
                }
            }
        }
    }

    struct Expire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a silence now.")

        @OptionGroup var common: CommonOptions

        @Argument(help: "The silence's number, as `silence list` shows it.")
        var id: Int64

        func run() throws {
            let configuration = try common.load().configuration
            let store = try openStore(configuration)
            guard try store.transaction({ try store.expireSilence(id, at: Date()) }) else {
                printError("no silence #\(id)")
                throw ExitCode(2)
            }
            output("silence #\(id) expired")
        }
    }
}

private struct SilenceJSON: Encodable {
    var id: Int64
    var rule: String?
    var matchers: [String]
    var startsAt: String
    var endsAt: String
    var active: Bool
    var comment: String
    var createdBy: String

    init(_ silence: Silence, zone: TimeZoneRules, now: Date) {
        id = silence.id
        rule = silence.rule
        matchers = silence.matchers.map(\.description)
        startsAt = Timestamp.format(silence.startsAt, in: zone)
        endsAt = Timestamp.format(silence.endsAt, in: zone)
        active = silence.isActive(at: now)
        comment = silence.comment
        createdBy = silence.createdBy
    }

    enum CodingKeys: String, CodingKey {
        case id, rule, matchers, active, comment
        case startsAt = "starts_at", endsAt = "ends_at", createdBy = "created_by"
    }
}

/// An ISO 8601 time, or a duration from `now`.
func parseUntil(_ text: String, from now: Date, zone: TimeZoneRules) -> Date? {
    if let seconds = parseDuration(text), seconds > 0 { return now.addingTimeInterval(seconds) }
    return Timestamp.parse(text, in: zone)
}

/// The writable state database, or exit 2 with the reason.
func openStore(_ configuration: Configuration) throws -> StateStore {
    do {
        try makeParentDirectory(of: configuration.statePath)
        return try StateStore(path: configuration.statePath)
    } catch {
        printError("\(error)")
        throw ExitCode(2)
    }
}

func environmentValue(_ name: String) -> String? {
    currentEnvironment()[name]
}
