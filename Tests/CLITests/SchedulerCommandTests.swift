import Foundation
import Testing

/// `factorwatch cron` on a host in another zone and `factorwatch systemd`, against Python's zoneinfo and
/// systemd-analyze.
@Suite struct SchedulerCommandTests {
    func configuration(_ scratch: Scratch, zone: String = "Asia/Shanghai") -> String {
        let config = scratch.demoConfiguration()
        var text = try! String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "timezone: Asia/Shanghai", with: "timezone: \(zone)")
        text = text.replacingOccurrences(of: "collectors:\n", with: """
            collectors:
              jobs:
                download: { schedule: "0 2 * * *", grace: 15m, command: "cd /opt/barra && python download.py 100%" }

            """)
        try! text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// The hour on `host`'s clock of 02:00 on `date` in `zone`, by Python's zoneinfo.
    func hostHour(_ zone: String, _ host: String, _ date: String) throws -> String {
        let script = """
            import datetime, zoneinfo
            t = datetime.datetime.fromisoformat("\(date)T02:00").replace(tzinfo=zoneinfo.ZoneInfo("\(zone)"))
            print(t.astimezone(zoneinfo.ZoneInfo("\(host)")).hour)
            """
        return try runProgram(["python3", "-c", script]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aUTCHostRunsTheShanghaiJobAtEighteenHundred() throws {
        let scratch = Scratch()
        let config = configuration(scratch)
        let cron = try factorwatch(["cron", "--config", config, "--binary", "/usr/bin/factorwatch"],
                                   environment: ["TZ": "UTC"])
        #expect(cron.status == 0, "\(cron.stderr)")
        #expect(try hostHour("Asia/Shanghai", "UTC", "2026-12-01") == "18")
        // cron reads % as a line break: the crontab line escapes it.
        #expect(cron.stdout.contains("\n0 18 * * * /usr/bin/factorwatch run --config \(config) --job download -- sh -c 'cd /opt/barra && python download.py 100\\%'"))
        #expect(cron.stdout.contains("Neither zone changes its clock"))
        #expect(!cron.stdout.contains("CRON_TZ"))

        let cronD = try factorwatch(["cron", "--config", config, "--binary", "/usr/bin/factorwatch", "--cron-d"],
                                    environment: ["TZ": "UTC"])
        #expect(cronD.stdout.contains("\n0 18 * * * factorwatch /usr/bin/factorwatch run --config"))
        #expect(cronD.stdout.contains("\n*/5 * * * * factorwatch /usr/bin/factorwatch eval --config \(config) >> /var/log/factorwatch/eval.log 2>&1"))

        let kept = try factorwatch(["cron", "--config", config, "--cron-tz"], environment: ["TZ": "UTC"])
        #expect(kept.stdout.contains("CRON_TZ=Asia/Shanghai\n"))
        #expect(kept.stdout.contains("\n0 2 * * * "))
    }

    /// `cron --format json`: the same block as data; each entry's host schedule carries Python's hour, and the
    /// `text` member is byte for byte what the text form prints.
    @Test func theJSONFormIsTheBlockAsData() throws {
        let scratch = Scratch()
        let config = configuration(scratch)
        let arguments = ["cron", "--config", config, "--binary", "/usr/bin/factorwatch", "--cron-d"]
        let json = try factorwatch(arguments + ["--format", "json"], environment: ["TZ": "UTC"])
        let text = try factorwatch(arguments, environment: ["TZ": "UTC"])
        #expect(json.status == 0, "\(json.stderr)")
        let block = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(block["zone"] as? String == "Asia/Shanghai" && block["host_zone"] as? String == "UTC")
        #expect(block["format"] as? String == "cron.d" && block["cron_tz"] as? Bool == false)
        #expect((block["problems"] as? [String])?.isEmpty == true)
        #expect(block["text"] as? String == text.stdout.trimmingCharacters(in: .newlines))
        let entries = try #require(block["entries"] as? [[String: Any]])
        #expect(entries.map { $0["kind"] as? String } == ["job", "eval"])
        let download = entries[0]
        #expect(download["job"] as? String == "download" && download["schedule"] as? String == "0 2 * * *")
        let hour = try hostHour("Asia/Shanghai", "UTC", "2026-12-01")
        #expect(download["host_schedules"] as? [String] == ["0 \(hour) * * *"])
        #expect(download["user"] as? String == "factorwatch")
        #expect((download["command"] as? String)?.hasPrefix("/usr/bin/factorwatch run --config ") == true)
        #expect(entries[1]["host_schedules"] as? [String] == ["*/5 * * * *"])
    }

    @Test(arguments: [("America/New_York", "Asia/Shanghai"), ("UTC", "Europe/London")])
    func daylightSavingTimeShiftsTheLineAndSaysSo(host: String, zone: String) throws {
        let scratch = Scratch()
        let config = configuration(scratch, zone: zone)
        for date in ["2026-12-01", "2027-07-01"] {
            let cron = try factorwatch(["cron", "--config", config, "--now", "\(date)T12:00:00Z"],
                                       environment: ["TZ": host])
            #expect(cron.status == 0, "\(cron.stderr)")
            let hour = try hostHour(zone, host, date)
            #expect(cron.stdout.contains("\n0 \(hour) * * * "), "\(date): \(cron.stdout)")
            #expect(cron.stdout.contains("# Daylight saving time: right until "))
        }
    }

    @Test func systemdTimersKeepTheZone() throws {
        let scratch = Scratch()
        let config = configuration(scratch)
        let units = try factorwatch(["systemd", "--config", config, "--binary", "/usr/bin/factorwatch",
                                     "--directory", scratch.path])
        #expect(units.status == 0, "\(units.stderr)")
        let timer = try String(contentsOfFile: scratch.path + "/factorwatch-job-download.timer", encoding: .utf8)
        #expect(timer.contains("OnCalendar=*-*-* 02:00:00 Asia/Shanghai\n"))
        #expect(timer.contains("Persistent=true\n"))
        let service = try String(contentsOfFile: scratch.path + "/factorwatch-job-download.service", encoding: .utf8)
        #expect(service.contains("ExecStart=/usr/bin/factorwatch run --config \(config) --job download -- sh -c \"cd /opt/barra && python download.py 100%%\""))
        let eval = try String(contentsOfFile: scratch.path + "/factorwatch-eval.service", encoding: .utf8)
        #expect(eval.contains("StandardOutput=journal\n"))
        #expect(eval.contains("User=factorwatch\n"))
        // systemd's own parser reads every unit and every calendar.
        let analyze = FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")
        #expect(analyze || ProcessInfo.processInfo.environment["CI"] != "true", "systemd-analyze is missing")
        guard analyze else { return }
        let next = try runProgram(["systemd-analyze", "calendar", "--base-time=2026-12-01 00:00:00 UTC",
                                   "*-*-* 02:00:00 Asia/Shanghai"], environment: ["TZ": "UTC", "PATH": "/usr/bin:/bin"])
        #expect(next.stdout.contains("Next elapse: Tue 2026-12-01 18:00:00 UTC"), "\(next.stdout)")
        for line in timer.split(separator: "\n") where line.hasPrefix("OnCalendar=") {
            let check = try runProgram(["systemd-analyze", "calendar", String(line.dropFirst("OnCalendar=".count))])
            #expect(check.status == 0, "\(line): \(check.stderr)")
        }
        let verify = try runProgram(["systemd-analyze", "verify", "--man=no",
                                     scratch.path + "/factorwatch-job-download.timer"])
        #expect(!verify.stderr.contains("Unknown key") && !verify.stderr.contains("bad-setting"), "\(verify.stderr)")
    }
}
