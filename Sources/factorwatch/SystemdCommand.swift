import ArgumentParser
import FactorWatch

#if canImport(Glibc)
import Glibc
#endif

struct SystemdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "systemd",
        abstract: "Print (or write) systemd .service and .timer units for the evaluation and the configured jobs.",
        discussion: """
            Timers name the configured zone (OnCalendar=*-*-* 02:00:00 Asia/Shanghai), so jobs keep the exchange's \
            clock on a host in any zone and through daylight saving time; Persistent=true runs a start missed while \
            the host was down; output goes to the journal (or the job's log). Then: systemctl daemon-reload && \
            systemctl enable --now factorwatch-eval.timer.
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Minutes between evaluations.", valueName: "minutes"))
    var every: Int = 5

    @Option(name: .long, help: ArgumentHelp("The factorwatch binary the units call (default: this one).", valueName: "path"))
    var binary: String?

    @Option(name: .long, help: ArgumentHelp("The user the services run as.", valueName: "name"))
    var user = "factorwatch"

    @Option(name: .long, help: ArgumentHelp("Write the unit files into this directory (e.g. /etc/systemd/system).",
                                            valueName: "dir"))
    var directory: String?

    func run() throws {
        try common.requireText(command: "systemd", output: "writes systemd unit files")
        let loaded = try common.load()
        guard (1...59).contains(every) else {
            say(.outOfRange(command: "systemd", option: "--every", given: every, range: 1...59, unit: " minutes"))
            throw ExitCode(2)
        }
        var units = SystemdUnits(configuration: loaded.configuration, configPath: absolutePath(common.configPath),
                                 binary: binary ?? executablePath(), everyMinutes: every)
        units.user = user
        for file in units.files {
            guard let directory else {
                output("# ---- \(file.name) ----\n" + file.text)
                continue
            }
            let path = directory + "/" + file.name
            guard let handle = fopen(path, "w") else {
                say(.cannotWrite(command: "systemd", path: path, reason: String(cString: strerror(errno))))
                throw ExitCode(1)
            }
            fputs(file.text, handle)
            fclose(handle)
            output("wrote \(path)")
        }
    }
}
