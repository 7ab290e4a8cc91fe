import ArgumentParser
import FactorWatch

#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Show active alerts and undelivered notifications from the state database (--all: the history).")

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Show the history of alert transitions too.")
    var all = false

    func run() throws {
        let configuration = try common.load().configuration
        let store: StateStore
        do {
            store = try StateStore(path: configuration.statePath, readOnly: true,
                                   busyTimeout: configuration.lockTimeout)
        } catch {
            say(.failed(command: "alerts", error))
            throw ExitCode(2)
        }
        let view = try AlertsView(store: store, zone: configuration.zone, history: all)
        output(common.format == .json ? view.json() : view.text())
    }
}
