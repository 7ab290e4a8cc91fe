import Foundation
import Testing

@Suite struct SilenceCommandTests {
    @Test func addListExpireAndEvalHonoursIt() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        let now = "2026-11-24T02:45:00+08:00"
        let added = try factorwatch(["silence", "add", "--config", config, "--rule", "FactorDataStale",
                                     "--match", "dir=~.*by_date", "--until", "2099-01-01T00:00:00+08:00",
                                     "--from", "2026-11-24T00:00:00+08:00", "--comment", "data vendor outage",
                                     "--author", "ops"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("silence #1 until 2099-01-01T00:00:00+08:00"))

        let listed = try factorwatch(["silence", "list", "--config", config])
        #expect(listed.stdout.contains("#1 active {alertname=\"FactorDataStale\", dir=~\".*by_date\"}"))
        #expect(listed.stdout.contains("by ops: data vendor outage"))

        let silenced = try factorwatch(["eval", "--config", config, "--now", now, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(silenced.stdout.utf8)) as! [String: Any]
        let stale = (object["alerts"] as! [[String: Any]]).first { $0["rule"] as? String == "FactorDataStale" }!
        #expect(stale["state"] as? String == "firing")
        #expect(stale["notify"] as? Bool == false)
        #expect(stale["suppressed_by"] as? String == "silence")
        // As in Alertmanager, a silenced source still inhibits: the quality pages about the stale file stay held.
        let zero = (object["alerts"] as! [[String: Any]]).first { $0["rule"] as? String == "FactorZeroVariance" }!
        #expect(zero["suppressed_by"] as? String == "inhibit")
        let log = (try? String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)) ?? ""
        #expect(!log.contains("FactorDataStale"))

        #expect(try factorwatch(["silence", "expire", "--config", config, "1"]).status == 0)
        #expect(try factorwatch(["silence", "list", "--config", config]).stdout.contains("no silences"))
        #expect(try factorwatch(["silence", "list", "--config", config, "--all"]).stdout.contains("#1 expired"))
        // Expiry happens on the real clock, so evaluate at a time after it (and before the original end).
        _ = try factorwatch(["eval", "--config", config, "--now", "2098-12-31T00:00:00+08:00"])
        #expect(try String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8).contains("FactorDataStale"))
    }

    @Test func badSilencesAreRefused() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        #expect(try factorwatch(["silence", "add", "--config", config, "--until", "2h", "--comment", "x"]).status == 2)
        #expect(try factorwatch(["silence", "add", "--config", config, "--rule", "A", "--match", "nolabel",
                                 "--until", "2h", "--comment", "x"]).status == 2)
        #expect(try factorwatch(["silence", "add", "--config", config, "--rule", "A", "--until", "someday",
                                 "--comment", "x"]).status == 2)
        #expect(try factorwatch(["silence", "expire", "--config", config, "42"]).status == 2)
    }

    @Test func aSilenceThatEndsHavingMatchedNothingIsReportedOnce() throws {
        let scratch = Scratch()
        let config = scratch.demoConfiguration()
        // amtool's form: the alert's name first, then matchers; one that matches, one that never does.
        for (rule, matcher, comment) in [("FactorDataStale", "dir=~.*by_date", "vendor outage"),
                                         ("FactorDataStale", "dir=/nowhere", "typo in the directory")] {
            let added = try factorwatch(["silence", "add", "--config", config, rule, matcher,
                                         "--from", "2026-11-24T02:00:00+08:00", "--duration", "1h", "-c", comment])
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("until 2026-11-24T03:00:00+08:00"))
        }
        _ = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T02:45:00+08:00"])
        let after = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T03:05:00+08:00",
                                     "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        let unmatched = try #require(object["unmatched_silences"] as? [[String: Any]])
        #expect(unmatched.map { $0["id"] as? Int } == [2])
        #expect(unmatched.first?["matchers"] as? [String] == ["dir=\"/nowhere\""])
        // The alert the first silence held back from its start is told now, for the first time.
        let stale = (object["alerts"] as! [[String: Any]]).first { $0["rule"] as? String == "FactorDataStale" }!
        #expect(stale["notify"] as? Bool == true)
        #expect(stale["reason"] as? String == "firing")
        let later = try factorwatch(["eval", "--config", config, "--now", "2026-11-24T03:10:00+08:00"])
        #expect(!later.stdout.contains("without ever matching"))
    }
}
