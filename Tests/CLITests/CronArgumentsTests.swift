import Foundation
import Testing

/// `eval` and `run` as cron spells them are read without the full argument parser; every other spelling goes to
/// it. `--name=value` always takes the full parser, so the same run spelled both ways must behave the same.
@Suite struct CronArgumentsTests {
    let now = "2026-11-24T02:45:00+08:00"

    /// `--config X` as `--config=X` (and the same for every option with a value): the full parser's spelling.
    private func fullParserSpelling(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if ["--config", "--format", "--now", "--rule", "--textfile", "--job", "--timeout"].contains(word),
               index + 1 < arguments.count {
                result.append(word + "=" + arguments[index + 1])
                index += 2
            } else {
                result.append(word)
                index += 1
            }
            if word == "--" { result += arguments[index...]; break }
        }
        return result
    }

    /// Two fresh demo configurations, one run each way, must print, exit, notify and export the same.
    private func expectSameRun(_ options: [String], ticks: [String]) throws {
        let fast = Scratch(), full = Scratch()
        let fastConfig = steadyDemoConfiguration(fast), fullConfig = steadyDemoConfiguration(full)
        for tick in ticks {
            func arguments(_ scratch: Scratch, _ config: String) -> [String] {
                ["eval", "--config", config, "--now", tick] + options.map {
                    $0.replacingOccurrences(of: "SCRATCH", with: scratch.path)
                }
            }
            let a = try factorwatch(arguments(fast, fastConfig))
            let b = try factorwatch(fullParserSpelling(arguments(full, fullConfig)))
            // The run's own duration is the one figure that differs from run to run.
            let normalize = { (text: String, scratch: Scratch) in
                text.replacingOccurrences(of: scratch.path, with: "S").split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("factorwatch_eval_duration_seconds ") }.joined(separator: "\n")
            }
            #expect(a.status == b.status, "\(options) at \(tick)")
            #expect(normalize(a.stdout, fast) == normalize(b.stdout, full), "\(options) at \(tick)")
            #expect(normalize(a.stderr, fast) == normalize(b.stderr, full), "\(options) at \(tick)")
            for file in ["alerts.log", "metrics.prom"] {
                let one = try? String(contentsOfFile: fast.path + "/" + file, encoding: .utf8)
                let other = try? String(contentsOfFile: full.path + "/" + file, encoding: .utf8)
                #expect(one.map { normalize($0, fast) } == other.map { normalize($0, full) }, "\(file), \(options)")
            }
        }
    }

    @Test func evalReadsTheSameEitherWay() throws {
        let ticks = [now, "2026-11-24T02:50:00+08:00"]
        try expectSameRun([], ticks: ticks)
        try expectSameRun(["--format", "json"], ticks: ticks)
        try expectSameRun(["--dry-run", "--explain", "--format", "text"], ticks: [now])
        try expectSameRun(["--rule", "FactorDataStale", "--rule", "FactorZeroVariance", "--nagios"], ticks: ticks)
        try expectSameRun(["--textfile", "SCRATCH/metrics.prom", "--accept-rule-changes"], ticks: ticks)
        try expectSameRun(["--rule", "NoSuchRule"], ticks: [now])
        try expectSameRun(["--now", "not-a-time"], ticks: [now])
    }

    @Test func aBadConfigurationReportsTheSameEitherWay() throws {
        let scratch = Scratch()
        let config = scratch.write("factorwatch.yaml", "timezone: Asia/Shanghai\nrules: [nowhere/*.yaml]\nstate: x\n")
        let a = try factorwatch(["eval", "--config", config, "--now", now])
        let b = try factorwatch(["eval", "--config=" + config, "--now=" + now])
        #expect(a.status == 2)
        #expect(a.stderr.contains("no rule file matches"), "\(a.stderr)")
        #expect((a.status, a.stdout, a.stderr) == (b.status, b.stdout, b.stderr))
    }

    @Test func runReadsTheSameEitherWay() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let script = "echo out; echo err >&2; exit 3"
        let a = try factorwatch(["run", "--config", config, "--job", "one", "--timeout", "1m", "--", "sh", "-c", script])
        let b = try factorwatch(["run", "--config=" + config, "--job=one", "--timeout=1m", "--", "sh", "-c", script])
        #expect(a.status == 3)
        #expect(a.stdout == "out\n")
        #expect((a.status, a.stdout, a.stderr) == (b.status, b.stdout, b.stderr))
        // The job's own options stay its own, `--` among them.
        let c = try factorwatch(["run", "--job", "two", "--config", config, "--", "sh", "-c", "echo \"$@\"", "x",
                                 "--config", "--", "-n"])
        #expect(c.status == 0)
        #expect(c.stdout == "--config -- -n\n")
        let d = try factorwatch(["run", "--config", config, "--job", "three", "--timeout", "soon", "--", "true"])
        #expect(d.status == 2)
        #expect(d.stderr.contains("--timeout"), "\(d.stderr)")
    }

    /// Spellings the quick reading does not take: the full parser's own words and exit codes, as before.
    @Test func everythingElseIsTheFullParsers() throws {
        let usage = "Usage: factorwatch eval [--config <path>] [--format <format>] [--dry-run] [--now <time>] "
            + "[--rule <name> ...] [--nagios] [--explain] [--textfile <path>] [--accept-rule-changes]\n"
            + "  See 'factorwatch eval --help' for more information.\n"
        let cases: [([String], String)] = [
            (["eval", "--bogus"], "Error: Unknown option '--bogus'\n" + usage),
            (["eval", "--confg", "x"], "Error: Unknown option '--confg'. Did you mean '--config'?\n" + usage),
            (["eval", "--format", "xml"], "Error: The value 'xml' is invalid for '--format <format>'. Please provide "
                + "one of 'text' and 'json'.\nHelp:  --format <format>  Output format: text or json.\n" + usage),
            (["eval", "--now"], "Error: Missing value for '--now <time>'\nHelp:  --now <time>  Pin the clock "
                + "(ISO 8601), for tests and replays.\n" + usage),
            (["eval", "--now", "-5"], "Error: Missing value for '--now <time>'\nHelp:  --now <time>  Pin the clock "
                + "(ISO 8601), for tests and replays.\n" + usage),
            (["run", "--", "true"], "Error: Missing expected argument '--job <name>'\nHelp:  --job <name>  The "
                + "job's name, as under collectors.jobs.\nUsage: factorwatch run [--config <path>] --job <name> "
                + "[--timeout <duration>] [<command> ...]\n  See 'factorwatch run --help' for more information.\n"),
            (["run", "--job", "x"], "factorwatch run: no command to run; give it after --, e.g. factorwatch run "
                + "--job update -- ./update.sh\n"),
        ]
        for (arguments, expected) in cases {
            let result = try factorwatch(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout == "", "\(arguments)")
            #expect(result.stderr == expected, "\(arguments)")
        }
        let help = try factorwatch(["eval", "--config", "x", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("OVERVIEW: Run the collectors, evaluate the rules"), "\(help.stdout)")
    }
}

/// The demo configuration without its disk collector, whose free space changes while the tests run.
func steadyDemoConfiguration(_ scratch: Scratch) -> String {
    let config = scratch.demoConfiguration()
    let text = try! String(contentsOfFile: config, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("disk: {") }
    try! lines.joined(separator: "\n").write(toFile: config, atomically: true, encoding: .utf8)
    return config
}
