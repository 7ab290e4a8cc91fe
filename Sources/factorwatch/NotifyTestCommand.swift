import ArgumentParser
import FactorWatch

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

struct NotifyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-test",
        abstract: "Send a test notification through one channel and report what happened.",
        discussion: "Nothing is stored. On failure the transport's own error is printed with a hint; exit 1.")

    @OptionGroup var common: CommonOptions

    @Argument(help: "The channel's name (the stem of its file in channels/).")
    var channel: String

    func run() throws {
        try common.requireText(command: "notify-test", output: "reports one delivery in a line (its exit status says whether it was sent)")
        let configuration = try common.load().configuration
        guard let target = configuration.channels[channel] else {
            let names = configuration.channels.keys.sorted()
            say(.unknown(command: "notify-test", kind: "channel", given: [channel], known: names))
            throw ExitCode(2)
        }
        let now = Date()
        let notice = AlertNotice(
            rule: AlertNotice.testRule, severity: .low, reason: .firing, labels: ["channel": channel], value: 1,
            summary: "TEST notification from factorwatch on \(configuration.host), not an alert — 测试通知",
            description: "TEST: if you can read this, the \(channel) channel works. Nothing is wrong; "
                + "sent by factorwatch notify-test.", startsAt: now)
        let digest = Digest(channel: channel, host: configuration.host, createdAt: now,
                            zone: configuration.zone.identifier, alerts: [notice])
        switch target.deliver(digest) {
        case .sent:
            output("\(channel): sent — \(target.render(digest).subject)")
            if !(target is LogChannel) { output("  via \(CurlLibrary.runtimeSummary)") }
        case .failed(let message, let retryable):
            say(.channelFailed(channel: channel, message: message, retryable: retryable, viaCurl: !(target is LogChannel)))
            throw ExitCode(1)
        }
    }
}
