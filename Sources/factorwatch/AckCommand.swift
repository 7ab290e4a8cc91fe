import ArgumentParser
import FactorWatch

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge firing alerts: no repeats and no escalation until they resolve or change severity.",
        discussion: """
            Name one alert by the fingerprint `factorwatch alerts` shows, or every firing alert of a rule with \
            --rule (and --match to narrow it). Example: factorwatch ack --rule FactorDataStale --comment \
            "rerunning the download". An alert that resolves and fires again is new and unacknowledged.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("An alert's fingerprint, as `factorwatch alerts` shows it.", valueName: "alert"))
    var alert: String?

    @Option(name: .long, help: ArgumentHelp("Every firing alert of this rule.", valueName: "name"))
    var rule: String?

    @Option(name: .long, help: ArgumentHelp("With --rule: only alerts whose labels match (name=value, name!=value, "
                                            + "name=~regex, name!~regex; repeatable).", valueName: "matcher"))
    var match: [String] = []

    @Option(name: [.long, .customShort("c")], help: "Why, or what is being done: shown with the alert.")
    var comment = ""

    @Option(name: .long, help: ArgumentHelp("End it earlier: ISO 8601 time, or a duration from now (4h).",
                                            valueName: "time"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("Who (default $USER).", valueName: "name"))
    var author: String?

    func run() throws {
        let configuration = try common.load().configuration
        let store = try openStore(configuration)
        let request = AcknowledgeRequest(alert: alert, rule: rule, matchers: match, until: until, comment: comment,
                                         author: author ?? environmentValue("USER") ?? "unknown")
        let alerts = try store.alerts()
        let acknowledgements: [Acknowledgement]
        do {
            acknowledgements = try request.acknowledgements(of: alerts, now: Date(), zone: configuration.zone)
        } catch {
            say(.failed(command: "ack", error))
            throw ExitCode(2)
        }
        try store.transaction { for ack in acknowledgements { _ = try store.add(ack) } }
        for ack in acknowledgements {
            let end = ack.until.map { "until \(Timestamp.format($0, in: configuration.zone)) or " } ?? "until "
            output("acknowledged \(ack.key) (\(ack.key.fingerprint)) \(end)it resolves or changes severity")
        }
    }
}
