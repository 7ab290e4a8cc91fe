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
                --comment "moving old files to the archive"; as amtool: factorwatch silence add FactorDataStale \
                'dir=~.*by_date' --duration 2h -c "vendor outage"
                """)

        @OptionGroup var common: CommonOptions

        @Argument(help: ArgumentHelp("Matchers as amtool takes them: an alert name first, then name=value, "
                                     + "name!=value, name=~regex or name!~regex.", valueName: "matcher"))
        var matchers: [String] = []

        @Option(name: .long, help: ArgumentHelp("The alert (rule) name; every rule when left out.", valueName: "name"))
        var rule: String?

        @Option(name: .long, help: ArgumentHelp("A label matcher: name=value, name!=value, name=~regex or name!~regex (repeatable).",
                                                valueName: "matcher"))
        var match: [String] = []

        @Option(name: .long, help: ArgumentHelp("When it ends: ISO 8601 time, or a duration from now (2h, 1d).",
                                                valueName: "time"))
        var until: String?

        @Option(name: .long, help: ArgumentHelp("How long it lasts from its start (2h, 1d), instead of --until.",
                                                valueName: "duration"))
        var duration: String?

        @Option(name: .long, help: ArgumentHelp("When it starts (default now).", valueName: "time"))
        var from: String?

        @Option(name: [.long, .customShort("c")], help: "Why: shown with every silenced alert.")
        var comment: String

        @Option(name: .long, help: ArgumentHelp("Who (default $USER).", valueName: "name"))
        var author: String?

        func run() throws {
            let configuration = try common.load().configuration
            let request = SilenceRequest(rule: rule, matchers: matchers + match, until: until, duration: duration,
                                         from: from, comment: comment,
                                         author: author ?? environmentValue("USER") ?? "unknown")
            let silence: Silence
            do {
                let (made, warnings) = try request.silence(now: Date(), configuration: configuration)
                for warning in warnings { say(.problem(command: "silence add", warning)) }
                silence = made
            } catch {
                say(.failed(command: "silence add", error))
                throw ExitCode(2)
            }
            let store = try openStore(configuration)
            let id = try store.transaction { try store.add(silence) }
            output("silence #\(id) until \(Timestamp.format(silence.endsAt, in: configuration.zone))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List active and future silences (--all: expired too).")

        @OptionGroup var common: CommonOptions

        @Flag(name: .long, help: "Include expired silences.")
        var all = false

        func run() throws {
            let configuration = try common.load().configuration
            let store = try StateStore(path: configuration.statePath, readOnly: true,
                                       busyTimeout: configuration.lockTimeout)
            let now = Date()
            let listing = SilenceListing(try store.silences().filter { all || $0.endsAt > now },
                                         zone: configuration.zone, now: now)
            output(common.format == .json ? listing.json() : listing.text())
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
                say(.noSilence(id))
                throw ExitCode(2)
            }
            output("silence #\(id) expired")
        }
    }
}

/// The writable state database, or exit 2 with the reason.
func openStore(_ configuration: Configuration) throws -> StateStore {
    do {
        try makeParentDirectory(of: configuration.statePath)
        return try StateStore(path: configuration.statePath, busyTimeout: configuration.lockTimeout)
    } catch {
        say(.failed(command: "silence", error))
        throw ExitCode(2)
    }
}

func environmentValue(_ name: String) -> String? {
    currentEnvironment()[name]
}
