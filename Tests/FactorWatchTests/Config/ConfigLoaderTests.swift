import Foundation
import Testing
@testable import FactorWatch

/// A configuration directory written for one test.
struct ConfigFixture {
    let dir = TemporaryDirectory("config")

    init(main: String = ConfigFixture.defaultMain, rules: String = ConfigFixture.defaultRules,
         channels: [String: String] = ["log": "type: log\npath: \"-\"\n"]) {
        dir.write("factorwatch.yaml", main)
        dir.write("rules/main.yaml", rules)
        for (name, text) in channels { dir.write("channels/\(name).yaml", text) }
    }

    static let defaultMain = """
        timezone: Asia/Shanghai
        state: state/fw.db
        collectors:
          disk: { paths: [.] }
        routes:
          critical: { channels: [log], repeat: 2h }
        """

    static let defaultRules = """
        rules:
          - alert: DiskAlmostFull
            expr: disk_used_percent > 90
            severity: critical
        """

    func load(_ environment: [String: String] = [:]) throws(ConfigurationError) -> LoadedConfiguration {
        try ConfigLoader.load(path: dir.path, environment: environment)
    }

    /// The problems of a configuration that must not load, as `file:line:column: message` with the directory cut.
    func problems(_ environment: [String: String] = [:]) -> [String] {
        do {
            _ = try load(environment)
            return []
        } catch {
            return error.problems.map { $0.description.replacingOccurrences(of: dir.path + "/", with: "") }
        }
    }
}

@Suite struct ConfigLoaderTests {
    @Test func loadsAValidConfiguration() throws {
        let fixture = ConfigFixture()
        let loaded = try fixture.load()
        let configuration = loaded.configuration
        #expect(configuration.zone.identifier == "Asia/Shanghai")
        #expect(configuration.statePath == fixture.dir.path + "/state/fw.db")
        #expect(configuration.rules.map(\.name) == ["DiskAlmostFull"])
        #expect(configuration.route(for: .critical) == Route(channels: ["log"], repeatInterval: 7_200))
        #expect(configuration.collectors.map(\.name) == ["disk"])
        // The only warning: Asia/Shanghai (the default zone) with the default weekdays calendar.
        #expect(loaded.warnings.map(\.message) == [weekdaysWarning])
    }

    private let weekdaysWarning = "WARNING: calendar: weekdays in Asia/Shanghai counts the Spring Festival and "
        + "National Day weeks as trading days, so FactorDataStale fires (critical) through every exchange holiday; "
        + "set calendar: { file: calendar/trade_cal.csv, tushare: { token_file: PATH } } and run factorwatch "
        + "calendar update"

    @Test func weekdaysOutsideShanghaiOrACalendarFileDoNotWarn() throws {
        let utc = ConfigFixture(main: ConfigFixture.defaultMain.replacingOccurrences(
            of: "timezone: Asia/Shanghai", with: "timezone: UTC"))
        #expect(try utc.load().warnings.isEmpty)
        let csv = ConfigFixture(main: "calendar: cal.csv\n" + ConfigFixture.defaultMain)
        try "cal_date,is_open\n20261123,1\n".write(toFile: csv.dir.path + "/cal.csv", atomically: true, encoding: .utf8)
        #expect(try csv.load().warnings.isEmpty)
    }

    @Test func yamlSyntaxErrorNamesLineAndColumn() {
        let fixture = ConfigFixture(rules: "rules:\n  - alert: A\n    expr: [x\n")
        let problems = fixture.problems()
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("rules/main.yaml:4:1: "))
    }

    @Test func unknownKeySuggestsTheClosestValidOne() {
        let fixture = ConfigFixture(rules: """
            rules:
              - alert: A
                expr: disk_used_percent > 90
                sevrity: critical
            """)
        let problems = fixture.problems()
        #expect(problems.contains("rules/main.yaml:4:5: unknown key \"sevrity\" in rule 1; did you mean \"severity\"?"))
    }

    @Test func unknownSeverityListsTheValidOnes() {
        let fixture = ConfigFixture(rules: "rules:\n  - alert: A\n    expr: disk_used_percent > 90\n    severity: urgent\n")
        #expect(fixture.problems() == [
            "rules/main.yaml:4:15: rule \"A\": unknown severity \"urgent\"; expected one of: critical, high, medium, low",
        ])
    }

    @Test func wrongTypeIsReported() {
        let fixture = ConfigFixture(rules: "rules:\n  - alert: A\n    expr: disk_used_percent > 90\n    severity: [high]\n")
        #expect(fixture.problems() == ["rules/main.yaml:4:15: severity must be a single value, not a list"])
    }

    @Test func duplicateRuleNamesAreRejected() {
        let fixture = ConfigFixture(rules: """
            rules:
              - alert: A
                expr: disk_used_percent > 90
                severity: high
              - alert: A
                expr: disk_used_percent > 95
                severity: critical
            """)
        let problems = fixture.problems()
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("rules/main.yaml:5:12: duplicate rule name \"A\" (first defined at "))
    }

    @Test func expressionErrorPointsIntoTheExpression() {
        let fixture = ConfigFixture(rules: "rules:\n  - alert: A\n    expr: disk_used_percent > > 90\n    severity: high\n")
        let problems = fixture.problems()
        #expect(problems.count == 1)
        // `expr: ` starts at column 11; the second `>` is 20 characters in.
        #expect(problems[0].hasPrefix("rules/main.yaml:3:31: rule \"A\": "))
    }

    @Test func quotedExpressionErrorColumnSkipsTheQuote() {
        let fixture = ConfigFixture(rules: "rules:\n  - alert: A\n    expr: \"maxx(disk_used_percent)\"\n    severity: high\n")
        let problems = fixture.problems()
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("rules/main.yaml:3:12: "))
        #expect(problems[0].contains("max"))
    }

    @Test func missingEnvironmentVariableIsAnError() throws {
        let fixture = ConfigFixture(main: ConfigFixture.defaultMain.replacingOccurrences(
            of: "state: state/fw.db", with: "state: ${FW_STATE_DIR}/fw.db"))
        #expect(fixture.problems() == [
            "factorwatch.yaml:2:8: environment variable FW_STATE_DIR is not set (used as ${FW_STATE_DIR})",
        ])
        let loaded = try fixture.load(["FW_STATE_DIR": "/var/tmp/fw"])
        #expect(loaded.configuration.statePath == "/var/tmp/fw/fw.db")
    }

    @Test func routeNamingAnUnknownChannelIsAnError() {
        let fixture = ConfigFixture(main: ConfigFixture.defaultMain.replacingOccurrences(
            of: "channels: [log]", with: "channels: [log, emial]"),
            channels: ["log": "type: log\npath: \"-\"\n", "email": "type: log\npath: \"-\"\n"])
        #expect(fixture.problems() == [
            "factorwatch.yaml:6:31: route critical names unknown channel \"emial\"; did you mean \"email\"?",
        ])
    }

    @Test func selectorForAMetricNoCollectorProducesIsAWarning() throws {
        let fixture = ConfigFixture(rules: "rules:\n  - alert: A\n    expr: factor_rows < 4000\n    severity: critical\n")
        let loaded = try fixture.load()
        #expect(loaded.warnings.filter { !$0.message.contains("calendar: weekdays") }.map(\.description)
                .map { $0.replacingOccurrences(of: fixture.dir.path + "/", with: "") }
                == ["rules/main.yaml:2:12: warning: rule \"A\" selects factor_rows, which no configured collector produces"])
    }

    @Test func unknownTimezoneAndCollectorAreReported() {
        let fixture = ConfigFixture(main: """
            timezone: Asia/Shangai
            collectors:
              dsk: { paths: [.] }
            """)
        let problems = fixture.problems()
        #expect(problems.contains { $0.hasPrefix("factorwatch.yaml:1:11: unknown time zone \"Asia/Shangai\"") })
        #expect(problems.contains("factorwatch.yaml:3:3: unknown collector \"dsk\"; did you mean \"disk\"?"))
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let fixture = ConfigFixture(rules: """
            rules:
              - alert: A
                expr: disk_used_percent >
                severity: high
              - alert: B
                expr: disk_used_percent > 1
                severity: hihg
            """)
        #expect(fixture.problems().count == 2)
    }

    @Test func relativePathsAreRelativeToTheFileThatNamesThem() throws {
        let fixture = ConfigFixture(channels: ["log": "type: log\npath: ../logs/alerts.log\n"])
        let channel = try fixture.load().configuration.channels["log"] as? LogChannel
        #expect(channel?.path == fixture.dir.path + "/logs/alerts.log")
    }
}
