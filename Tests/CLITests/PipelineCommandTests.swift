import Foundation
import Testing

@Suite struct PipelineCommandTests {
    @Test func runPassesOutputAndStatusThroughAndStatusShowsTheRun() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "collectors:\n", with: """
            collectors:
              jobs:
                incremental_update: { schedule: "30 2 * * *", grace: 15m, command: "cd /opt/barra && ./update.sh", log: /var/log/barra/update.log }

            """)
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try factorwatch(["check", "--config", config]).status == 0)

        let run = try factorwatch(["run", "--config", config, "--job", "incremental_update", "--",
                                   "sh", "-c", "echo 因子更新; echo oops >&2; exit 3"])
        #expect(run.status == 3)
        #expect(run.stdout == "因子更新\n")
        #expect(run.stderr == "oops\n")

        let status = try factorwatch(["status", "--config", config, "--format", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("incremental_update: last run"))
        #expect(status.stdout.contains("exit 3"))

        let observed = try factorwatch(["observe", "--config", config])
        #expect(observed.stdout.contains("job_last_exit_code{job=\"incremental_update\"} 3"))

        let cron = try factorwatch(["cron", "--config", config, "--binary", "/usr/local/bin/factorwatch"],
                                   environment: ["TZ": "Asia/Shanghai"])
        #expect(cron.status == 0)
        #expect(cron.stdout.contains("30 2 * * * /usr/local/bin/factorwatch run --config \(config) --job incremental_update -- sh -c 'cd /opt/barra && ./update.sh' >> /var/log/barra/update.log 2>&1"))
        #expect(cron.stdout.contains("*/5 * * * * /usr/local/bin/factorwatch eval --config \(config) >> /var/log/barra/monitor.log 2>&1"))
        #expect(!cron.stdout.contains("CRON_TZ"))
    }

    @Test func runStillRunsTheJobWhenTheConfigurationIsBroken() throws {
        let scratch = Scratch()
        let config = scratch.write("factorwatch.yaml", "timezone: [broken\n")
        let run = try factorwatch(["run", "--config", config, "--job", "download", "--", "sh", "-c", "echo ran; exit 0"])
        #expect(run.status == 0)
        #expect(run.stdout == "ran\n")
        #expect(run.stderr.contains("running download unrecorded"))
    }

    @Test func runWithoutACommandIsAUsageError() throws {
        #expect(try factorwatch(["run", "--job", "x"]).status == 2)
    }
}
