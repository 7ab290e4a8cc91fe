import Foundation
import Testing

/// 60 trading days of factor files on disk, backfilled, with job runs and two evaluations, as a report needs.
struct ReportFixture {
    let scratch = Scratch()
    let config: String

    init() throws {
        let made = try runProgram(["python3", repositoryRoot + "/scripts/history_fixtures.py", scratch.path, "60", "300"])
        try #require(made.status == 0, "history_fixtures.py (pandas, pyarrow): \(made.stderr)")
        scratch.write("channels/log.yaml", "type: log\npath: \(scratch.path)/alerts.log\n")
        config = scratch.write("factorwatch.yaml", """
            timezone: Asia/Shanghai
            state: \(scratch.path)/state/fw.db
            calendar: \(scratch.path)/calendar/trade_cal.csv
            host: report-host
            rules: [\(repositoryRoot)/rules/*.yaml]
            collectors:
              factor_files: { dir: \(scratch.path)/by_date }
            routes:
              critical: { channels: [log], repeat: 2h }
              high: { channels: [log], repeat: 12h }
              medium: { channels: [log], repeat: 24h }
              low: { channels: [log], repeat: 24h }
            """)
    }

    func run(_ arguments: [String]) throws -> RunResult {
        // Before a `--` (what follows it is the job's command line).
        let split = arguments.firstIndex(of: "--") ?? arguments.endIndex
        return try factorwatch(Array(arguments[..<split]) + ["--config", config] + arguments[split...])
    }
}

@Suite(.serialized) struct ReportCommandTests {
    @Test func backfillStoresEveryFileOnceAndSaysSo() throws {
        let fixture = try ReportFixture()
        let first = try fixture.run(["history", "backfill", "--now", "2026-11-21T02:45:00+08:00"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("history backfill: 60 day(s) stored, 0 already stored, 0 file(s) not measurable"))
        #expect(!first.stderr.contains("["), "no progress bar without a terminal: \(first.stderr)")
        let again = try fixture.run(["history", "backfill", "--since", "2026-11-01", "--now", "2026-11-21T02:45:00+08:00"])
        #expect(again.stdout.contains("0 day(s) stored, 15 already stored"), "\(again.stdout)")
        let json = try fixture.run(["history", "backfill", "--since", "2026-11-01", "--now", "2026-11-21T02:45:00+08:00",
                                    "--format", "json"])
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Int])
        let stored = try runProgram(["sqlite3", fixture.scratch.path + "/state/fw.db",
                                     "SELECT count(*) FROM history_days WHERE date >= 20261101"])
        #expect(figures == ["written": 0, "failed": 0,
                            "unchanged": Int(stored.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1])
        let bad = try fixture.run(["history", "backfill", "--since", "yesterday"])
        #expect(bad.status == 2 && bad.stderr.contains("--since: cannot read \"yesterday\""))
        let rows = try runProgram(["sqlite3", fixture.scratch.path + "/state/fw.db", "SELECT count(*) FROM history_days"])
        #expect(rows.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "60")

        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.scratch.path + "/state/fw.db"))
        let replay = try fixture.run(["replay", "--from", "2026-10-09", "--to", "20261120",
                                      "--rule", "FactorCoverageLow", "--rule", "FactorMissingSpike"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("2026-10-09\n  FIRING medium FactorCoverageLow{} = 300"), "\(replay.stdout)")
        #expect(replay.stdout.contains("replayed 2026-10-09 – 2026-11-20, 31 trading days; nothing was sent"))
        let total = replay.stdout.split(separator: "\n").first { $0.hasPrefix("  FactorCoverageLow ") }
        // Fired once, then repeated every evening (medium repeats after 24h), firing all 31 days.
        #expect(total?.split(separator: " ") == ["FactorCoverageLow", "1", "30", "0", "31"], "\(replay.stdout)")
        #expect(!FileManager.default.fileExists(atPath: fixture.scratch.path + "/alerts.log"), "nothing is sent")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.scratch.path + "/state/fw.db")) == before)
        // The same replay as JSON: every trading day, quiet or not, and totals that the days' notices add up to.
        let replayJSON = try fixture.run(["replay", "--from", "2026-10-09", "--to", "20261120", "--format", "json",
                                    "--rule", "FactorCoverageLow", "--rule", "FactorMissingSpike"])
        #expect(replayJSON.status == 0, "\(replayJSON.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(replayJSON.stdout.utf8)) as? [String: Any])
        let days = try #require(object["days"] as? [[String: Any]])
        let dates = days.compactMap { $0["date"] as? String }
        #expect(dates.count == 31 && dates.first == "2026-10-09" && dates.last == "2026-11-20", "\(dates)")
        let opening = try #require((days.first?["alerts"] as? [[String: Any]])?.first)
        #expect(opening["rule"] as? String == "FactorCoverageLow", "\(opening)")
        #expect(opening["state"] as? String == "firing" && opening["value"] as? Double == 300, "\(opening)")
        let notices = days.flatMap { ($0["notices"] as? [[String: Any]]) ?? [] }
            .filter { $0["rule"] as? String == "FactorCoverageLow" }
        let firing = days.filter { day in
            ((day["alerts"] as? [[String: Any]]) ?? []).contains {
                $0["rule"] as? String == "FactorCoverageLow" && $0["state"] as? String == "firing"
            }
        }
        let allTotals = try #require(object["totals"] as? [[String: Any]])
        let totals = try #require(allTotals.first { $0["rule"] as? String == "FactorCoverageLow" })
        #expect(totals["fired"] as? Int == notices.filter { $0["reason"] as? String == "firing" }.count)
        #expect(totals["repeated"] as? Int == notices.filter { $0["reason"] as? String == "repeat" }.count)
        #expect(totals["days_firing"] as? Int == firing.count)
        let counts: [Int?] = ["fired", "repeated", "resolved", "days_firing"].map { totals[$0] as? Int }
        #expect(counts == [1, 30, 0, 31], "the text's totals: \(counts)")
        let html = try fixture.run(["report", "--out", fixture.scratch.path + "/r.html", "--format", "json"])
        #expect(html.status == 2 && html.stderr.contains("factorwatch report: --format json is not available"),
                "\(html.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.scratch.path + "/r.html"))
        let unknown = try fixture.run(["replay", "--from", "2026-10-09", "--to", "2026-11-20", "--rule", "Nope"])
        #expect(unknown.status == 2 && unknown.stderr.contains("factorwatch replay: unknown rule \"Nope\"; rules: "))
    }

    @Test(.enabled(if: exportToolsAvailable("/usr/bin/chromium"), "chromium is not installed: rendering not checked"))
    func theReportRendersInChromiumWithDataInEveryPlotAndNoConsoleErrors() throws {
        let fixture = try ReportFixture()
        #expect(try fixture.run(["history", "backfill", "--now", "2026-11-20T23:00:00+08:00"]).status == 0)
        for seconds in ["0.2", "0.3", "0.25", "0.4"] {
            _ = try fixture.run(["run", "--job", "download", "--", "sleep", seconds])
        }
        _ = try fixture.run(["eval", "--now", "2026-11-21T02:45:00+08:00"])
        let out = fixture.scratch.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let report = try fixture.run(["report", "--out", out, "--days", "40"])
        try #require(report.status == 0, "\(report.stderr)")
        let page = out + "/factorwatch-report.html"
        let html = try String(contentsOfFile: page, encoding: .utf8)
        for forbidden in ["<script", "<link", "src=\"http", "href=\"http", "url(http", "@import"] {
            #expect(!html.contains(forbidden), "the page must be self-contained: it contains \(forbidden)")
        }
        #expect(html.contains("<meta name=\"viewport\""))
        #expect(html.contains("FactorCoverageLow"), "the timeline shows what fired")

        let shot = fixture.scratch.path + "/shot.png"
        let chromium = try runProgram(["timeout", "120", "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                                       "--hide-scrollbars", "--window-size=412,7000", "--enable-logging=stderr",
                                       "--v=0", "--screenshot=\(shot)", "file://\(page)"])
        try #require(FileManager.default.fileExists(atPath: shot), "chromium wrote no screenshot: \(chromium.stderr)")
        let consoleLines = chromium.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(consoleLines.isEmpty, "console messages: \(consoleLines)")

        let checked = try runProgram(["python3", repositoryRoot + "/scripts/png_check.py", shot])
        try #require(checked.status == 0, "png_check.py: \(checked.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any])
        let bands = try #require(figures["bands"] as? [[String: Int]])
        // Six factors × four panels, and the download job's durations.
        #expect(bands.count == 25, "plot areas found: \(bands.map { $0["top"] ?? 0 }) in \(html.count) bytes")
        let blank = bands.filter { ($0["series"] ?? 0) < 20 }
        #expect(blank.isEmpty, "plots without a drawn series at rows \(blank.map { $0["top"] ?? 0 })")
        #expect((figures["threshold"] as? Int ?? 0) > 200, "threshold lines are drawn")
    }
}
