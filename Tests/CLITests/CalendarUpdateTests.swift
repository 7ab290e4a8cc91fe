import Foundation
import Testing

/// Tests/Servers/tushare_server.py on 127.0.0.1, answering `trade_cal` in Tushare's format.
final class TushareServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let folder: String

    init(folder: String, token: String, holidays: [String] = [], arguments: [String] = []) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let holidayFile = folder + "/holidays.txt"
        try holidays.joined(separator: "\n").write(toFile: holidayFile, atomically: true, encoding: .utf8)
        let portFile = folder + "/port"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/Tests/Servers/tushare_server.py", "--dir", folder,
                             "--port-file", portFile, "--token", token, "--holidays", holidayFile] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) {
                found = value
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let found else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "tushare_server.py did not start"])
        }
        port = found
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The request bodies received, oldest first.
    func requests() -> [[String: Any]] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                  let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let body = (record["body"] as? String)?.data(using: .utf8) else { return nil }
            return try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// The closed weekdays of the 2026 National Day and Mid-Autumn holidays (Shanghai Stock Exchange).
let holidays2026 = ["20260925", "20261001", "20261002", "20261005", "20261006", "20261007"]

/// `python3 -c` with pandas/numpy; the printed text.
func pythonOutput(_ script: String, _ arguments: [String] = []) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite struct CalendarUpdateTests {
    static let token = "a1b2c3-local-test-token-9f8e"
    /// The clock `calendar update` runs at: it decides the default range and what "covers today" means.
    static let now = "2026-09-20T10:00:00+08:00"

    /// A configuration whose calendar is fetched from `server` with the token in a file.
    func configuration(_ scratch: Scratch, url: String, tokenFile: Bool = true, extra: String = "",
                       zone: String = "Asia/Shanghai") -> String {
        if tokenFile { scratch.write("secrets/tushare.token", Self.token + "\n") }
        let tushare = tokenFile ? "{ url: \"\(url)\", token_file: secrets/tushare.token }" : "{ url: \"\(url)\" }"
        return scratch.write("factorwatch.yaml", """
            timezone: \(zone)
            state: \(scratch.path)/state/fw.db
            calendar: { file: calendar/trade_cal.csv, exchange: SSE, tushare: \(tushare) }
            rules: [\(repositoryRoot)/rules/factor_files.yaml]
            collectors:
              factor_files: { dir: data, quality: false }
            \(extra)
            """)
    }

    @Test func updateWritesTheCalendarTheServerPublishes() throws {
        let scratch = Scratch()
        let server = try TushareServer(folder: scratch.path + "/server", token: Self.token, holidays: holidays2026)
        let config = configuration(scratch, url: server.url)
        let result = try factorwatch(["calendar", "update", "--config", config, "--start", "20260101",
                                      "--end", "20261231", "--now", Self.now])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = scratch.path + "/calendar/trade_cal.csv"
        #expect(result.stdout.contains(csv + ": SSE 20260101–20261231, 365 days"), "\(result.stdout)")
        #expect(!(result.stdout + result.stderr).contains(Self.token))
        // numpy's business-day count with the same holidays, and pandas reading the file as a user would.
        let expected = try pythonOutput("import numpy as np, sys; print(np.busday_count('2026-01-01', '2027-01-01', "
                                        + "holidays=[d[:4] + '-' + d[4:6] + '-' + d[6:] for d in sys.argv[1].split(',')]))", [holidays2026.joined(separator: ",")])
        let read = try pythonOutput("import pandas as pd, sys; c = pd.read_csv(sys.argv[1], dtype=str); "
                                    + "print(int((c.is_open == '1').sum()), len(c), list(c.columns), "
                                    + "c.cal_date.is_monotonic_increasing, c.loc[c.cal_date == '20261008', "
                                    + "'pretrade_date'].item())", [csv])
        #expect(read == "\(expected) 365 ['exchange', 'cal_date', 'is_open', 'pretrade_date'] True 20260930")
        #expect(result.stdout.contains("\(expected) open"))
        // What went over the wire: Tushare's request shape.
        let request = try #require(server.requests().first)
        #expect(request["api_name"] as? String == "trade_cal")
        #expect(request["token"] as? String == Self.token)
        #expect(request["fields"] as? String == "exchange,cal_date,is_open,pretrade_date")
        let params = request["params"] as? [String: String]
        #expect(params == ["exchange": "SSE", "start_date": "20260101", "end_date": "20261231"])
    }

    @Test func theNationalDayWeekIsSilentWithTheFetchedCalendarAndStaleWithWeekdays() throws {
        let scratch = Scratch()
        let server = try TushareServer(folder: scratch.path + "/server", token: Self.token, holidays: holidays2026)
        scratch.write("data/20260930.parquet", "only the name is read with quality: false")
        let config = configuration(scratch, url: server.url)
        // Before the first update the calendar file does not exist: the configuration says how to get it.
        let before = try factorwatch(["check", "--config", config])
        #expect(before.status == 2)
        #expect(before.stdout.contains("factorwatch calendar update"), "\(before.stdout)")
        let update = try factorwatch(["calendar", "update", "--config", config, "--now", Self.now])
        #expect(update.status == 0, "\(update.stderr)")
        let weekdays = scratch.write("weekdays.yaml", try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "calendar: { file: calendar/trade_cal.csv, exchange: SSE, tushare: { url: \""
                                  + server.url + "\", token_file: secrets/tushare.token } }",
                                  with: "calendar: weekdays"))
        for now in ["2026-10-02T03:30:00+08:00", "2026-10-06T09:00:00+08:00", "2026-10-08T09:00:00+08:00"] {
            let fetched = try firing(config: config, now: now)
            #expect(fetched.isEmpty, "\(now): \(fetched)")
        }
        // The same week counted as weekdays: Thursday the 1st missing by the 2nd; stale from the 5th.
        #expect(try firing(config: weekdays, now: "2026-10-02T03:30:00+08:00") == ["FactorDataLate"])
        #expect(try firing(config: weekdays, now: "2026-10-06T09:00:00+08:00") == ["FactorDataStale"])
        #expect(try firing(config: weekdays, now: "2026-10-08T09:00:00+08:00") == ["FactorDataStale"])
    }

    /// The rules firing in a dry-run evaluation at `now`.
    func firing(config: String, now: String) throws -> [String] {
        let result = try factorwatch(["eval", "--config", config, "--dry-run", "--now", now, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let alerts = object?["alerts"] as? [[String: Any]] ?? []
        return alerts.filter { $0["state"] as? String == "firing" }.compactMap { $0["rule"] as? String }.sorted()
    }

    @Test(arguments: [
        ([String](), "wrong-token", "code -2001: 您的token不对，请确认。 (check the token"),
        (["--mode", "error"], token, "code 40203: 抱歉，您每分钟最多访问该接口200次"),
        (["--mode", "http500"], token, "answered HTTP 500"),
        (["--mode", "garbage"], token, "the answer is not JSON"),
        (["--mode", "empty"], token, "Tushare returned no day of exchange SSE"),
        (["--published-until", "20261130"], token, "already covers up to 20261231 and is kept"),
        (["--published-until", "20260831"], token, "which does not include today (20260920)"),
    ])
    func anyErrorKeepsTheOldFile(arguments: [String], token: String, message: String) throws {
        let scratch = Scratch()
        let good = try TushareServer(folder: scratch.path + "/good", token: Self.token)
        let config = configuration(scratch, url: good.url)
        #expect(try factorwatch(["calendar", "update", "--config", config, "--end", "20261231", "--now", Self.now])
            .status == 0)
        let csv = scratch.path + "/calendar/trade_cal.csv"
        let original = try Data(contentsOf: URL(fileURLWithPath: csv))

        let bad = try TushareServer(folder: scratch.path + "/bad", token: token, arguments: arguments)
        _ = configuration(scratch, url: bad.url)
        let result = try factorwatch(["calendar", "update", "--config", config, "--end", "20261231",
                                      "--now", Self.now])
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.contains(csv + " is unchanged"))
        #expect(!result.stderr.contains(Self.token))
        #expect(try Data(contentsOf: URL(fileURLWithPath: csv)) == original)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/calendar")
        #expect(leftovers == ["trade_cal.csv"])
    }

    @Test func theTokenComesFromTheEnvironmentWithoutATokenFile() throws {
        let scratch = Scratch()
        let server = try TushareServer(folder: scratch.path + "/server", token: Self.token)
        let config = configuration(scratch, url: server.url, tokenFile: false)
        let missing = try factorwatch(["calendar", "update", "--config", config, "--now", Self.now],
                                      environment: ["TUSHARE_TOKEN": ""])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no Tushare token: set calendar.tushare.token_file or the environment "
                                        + "variable TUSHARE_TOKEN"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/calendar/trade_cal.csv"))
        let fetched = try factorwatch(["calendar", "update", "--config", config, "--format", "json", "--now", Self.now],
                                      environment: ["TUSHARE_TOKEN": Self.token])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any]
        #expect(object?["exchange"] as? String == "SSE")
        // The default range: 1 January of last year to 31 December of next year.
        #expect(object?["first"] as? String == "20250101")
        #expect(object?["last"] as? String == "20271231")
        #expect(object?["days"] as? Int == 365 + 365 + 365)
    }

    @Test func anUnreachableServerIsAClearError() throws {
        let scratch = Scratch()
        // The discard port: nothing listens on it here.
        let config = configuration(scratch, url: "http://127.0.0.1:9")
        let result = try factorwatch(["calendar", "update", "--config", config, "--now", Self.now])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot reach http://127.0.0.1:9"), "\(result.stderr)")
    }

    /// "Today" is the configured zone's date: at 18:00 UTC on New Year's Eve it is already 2027 in Shanghai, so
    /// the default range (last year through next year) differs by a year between the two configurations.
    @Test func todayIsTheConfiguredZonesDate() throws {
        for (zone, start, end) in [("UTC", "20250101", "20271231"), ("Asia/Shanghai", "20260101", "20281231")] {
            let scratch = Scratch()
            let server = try TushareServer(folder: scratch.path + "/server", token: Self.token)
            let config = configuration(scratch, url: server.url, zone: zone)
            let result = try factorwatch(["calendar", "update", "--config", config,
                                          "--now", "2026-12-31T18:00:00Z"])
            #expect(result.status == 0, "\(result.stderr)")
            let params = try #require(server.requests().first)["params"] as? [String: String]
            #expect(params?["start_date"] == start && params?["end_date"] == end, "\(zone): \(String(describing: params))")
        }
    }

    @Test func theCronBlockUpdatesTheCalendarWeekly() throws {
        let scratch = Scratch()
        let server = try TushareServer(folder: scratch.path + "/server", token: Self.token)
        let config = configuration(scratch, url: server.url)
        #expect(try factorwatch(["calendar", "update", "--config", config, "--now", Self.now]).status == 0)
        let cron = try factorwatch(["cron", "--config", config, "--binary", "/usr/local/bin/factorwatch"])
        #expect(cron.status == 0, "\(cron.stderr)")
        #expect(cron.stdout.contains("\n17 6 * * 1 /usr/local/bin/factorwatch calendar update --config \(config) >> "),
                "\(cron.stdout)")
    }

    @Test func checkWarnsLoudlyAboutWeekdaysInShanghai() throws {
        let scratch = Scratch()
        let config = scratch.write("factorwatch.yaml", """
            timezone: Asia/Shanghai
            state: \(scratch.path)/fw.db
            rules: [\(repositoryRoot)/rules/factor_files.yaml]
            collectors:
              factor_files: { dir: \(scratch.path), quality: false }
            """)
        let result = try factorwatch(["check", "--config", config])
        #expect(result.status == 0)
        #expect(result.stdout.contains("factorwatch.yaml:1:1: warning: WARNING: calendar: weekdays in Asia/Shanghai"))
        let utc = try factorwatch(["check", "--config", scratch.write("factorwatch.yaml", """
            timezone: UTC
            state: \(scratch.path)/fw.db
            rules: [\(repositoryRoot)/rules/factor_files.yaml]
            collectors:
              factor_files: { dir: \(scratch.path), quality: false }
            """)])
        #expect(!utc.stdout.contains("calendar: weekdays"))
    }
}
