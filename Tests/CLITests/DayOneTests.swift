import Foundation
import Testing

/// A fresh install on a healthy pipeline, as a new user makes it: the demo's three healthy files, a risk-parameter
/// file, the shipped rules, two jobs that cron runs but nobody has wrapped with `factorwatch run` yet, and a watched
/// log that the first wrapped run will create.
@Suite struct DayOneTests {
    func install(_ scratch: Scratch) -> String {
        let demo = repositoryRoot + "/examples/demo/data"
        let files = FileManager.default
        try? files.createDirectory(atPath: scratch.path + "/data/by_date", withIntermediateDirectories: true)
        for day in ["20261116", "20261117", "20261118"] {
            try? files.copyItem(atPath: "\(demo)/barra_factors/by_date/\(day).parquet",
                                toPath: "\(scratch.path)/data/by_date/\(day).parquet")
        }
        scratch.write("data/risk_params_latest.json",
                      (try? String(contentsOfFile: demo + "/barra_risk/risk_params_latest.json", encoding: .utf8)) ?? "")
        scratch.write("channels/alerts_log.yaml", "type: log\npath: \(scratch.path)/alerts.log\nformat: json\n")
        return scratch.write("factorwatch.yaml", """
            timezone: Asia/Shanghai
            state: \(scratch.path)/state/fw.db
            calendar: \(repositoryRoot)/examples/demo/calendar/trade_cal.csv
            rules: [\(repositoryRoot)/rules/*.yaml]
            collectors:
              factor_files: { dir: data/by_date, expected_by: "03:00" }
              risk_params: { path: data/risk_params_latest.json, factors_dir: data/by_date }
              jobs:
                download:           { schedule: "0 2 * * *",  grace: 20m, command: "true", log: logs/download.log }
                incremental_update: { schedule: "30 2 * * *", grace: 15m, command: "true", log: logs/update.log }
              logs:
                update: { path: logs/update.log, patterns: { error: "ERROR|Traceback" } }
            routes:
              critical: { channels: [alerts_log], repeat: 2h }
              high:     { channels: [alerts_log], repeat: 12h }
              medium:   { channels: [alerts_log], repeat: 24h }
              low:      { channels: [alerts_log], repeat: 24h }
            """)
    }

    @Test func theFirstEvaluationOfAFreshInstallSendsNothing() throws {
        let scratch = Scratch()
        let config = install(scratch)
        // Thursday 08:00: both jobs' 02:00 and 02:30 starts and their grace are long past, unrecorded.
        let result = try factorwatch(["eval", "--config", config, "--now", "2026-11-19T08:00:00+08:00",
                                      "--format", "json"], environment: ["TZ": "UTC"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let alerts = (report["alerts"] as? [[String: Any]] ?? []).map { "\($0["rule"] ?? "?") \($0["state"] ?? "?")" }
        #expect(alerts.isEmpty, "\(alerts)")
        #expect((report["errors"] as? [Any] ?? []).isEmpty, "\(report["errors"] ?? "")")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/alerts.log"))

        // status says why JobMissed is quiet.
        let status = try factorwatch(["status", "--config", config, "--now", "2026-11-19T08:05:00+08:00"])
        #expect(status.stdout.contains("download: new: no run recorded yet; JobMissed starts after its first run"),
                "\(status.stdout)")
        let jobs = try factorwatch(["jobs", "--config", config])
        #expect(jobs.stdout.contains("incremental_update: no run recorded yet"), "\(jobs.stdout)")
    }

    @Test func onceItsJobHasRunAMissingLogIsAFailureAndAMissedStartAlerts() throws {
        let scratch = Scratch()
        let config = install(scratch)
        _ = try factorwatch(["eval", "--config", config, "--now", "2026-11-19T08:00:00+08:00"])
        // The first wrapped run (it writes no log), then a night with no run at all.
        let run = try factorwatch(["run", "--config", config, "--job", "incremental_update", "--", "true"])
        #expect(run.status == 0, "\(run.stderr)")
        let later = try factorwatch(["eval", "--config", config, "--dry-run", "--now", "2099-01-01T08:00:00+08:00",
                                     "--format", "json"])
        let report = try JSONSerialization.jsonObject(with: Data(later.stdout.utf8)) as? [String: Any] ?? [:]
        let errors = (report["errors"] as? [[String: Any]] ?? []).map { "\($0["collector"] ?? "?"): \($0["message"] ?? "")" }
        #expect(errors.contains { $0.hasPrefix("logs: ") && $0.contains("logs/update.log") }, "\(errors)")
        let firing = (report["alerts"] as? [[String: Any]] ?? []).filter { $0["state"] as? String == "firing" }
            .map { "\($0["rule"] ?? "?") \(($0["labels"] as? [String: String])?["job"] ?? "")" }
        #expect(firing.contains("JobMissed incremental_update"), "\(firing)")
        #expect(!firing.contains("JobMissed download"), "\(firing)")
    }
}
