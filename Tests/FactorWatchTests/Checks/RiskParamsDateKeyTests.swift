import Foundation
import Testing

@testable import FactorWatch

/// Risk-parameter files dated under other common keys, written by Python as a pipeline writes them: `str()` of a
/// pandas Timestamp (`2026-11-20 00:00:00`), `isoformat()`, `strftime('%Y%m%d')` or an int.
@Suite struct RiskParamsDateKeyTests {
    /// The file Python writes with `json.dump({key: expression, "covariance": [[0.04]]})`.
    func pythonWritten(key: String, expression: String) throws -> String {
        let script = "import json, sys, datetime, pandas as pd\n"
            + "d = pd.Timestamp('2026-11-20')\n"
            + "json.dump({'\(key)': \(expression), 'covariance': [[0.04]]}, sys.stdout)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with pandas is needed")
        return String(decoding: data, as: UTF8.self)
    }

    func collect(_ json: String) throws -> [Observation] {
        let dir = TemporaryDirectory("risk-date")
        let path = dir.write("risk_params_latest.json", json)
        let collector = RiskParamsCollector(path: path, label: "risk.json")
        return try withExtendedLifetime(dir) {
            try collector.collect(CheckFixtures.context("20261124", memory: EphemeralMemory()))
        }
    }

    @Test(arguments: [
        ("estimation_date", "str(d)"), ("estimation_date", "d.isoformat()"), ("estimation_date", "d.strftime('%Y%m%d')"),
        ("estimation_date", "int(d.strftime('%Y%m%d'))"), ("as_of_date", "str(d.date())"), ("calc_date", "str(d)"),
        ("end_date", "d.strftime('%Y-%m-%d')"),
    ])
    func theDateIsReadUnderCommonKeys(key: String, expression: String) throws {
        let json = try pythonWritten(key: key, expression: expression)
        let observations = try collect(json)
        #expect(observations.single("risk_params_valid")?.value == 1, "\(json)")
        // Dated Friday the 20th, read on Tuesday the 24th: Monday the 23rd is the one trading day behind.
        let lag = try #require(observations.single("risk_params_lag_trading_days"), "\(json)")
        #expect(lag.value == 1)
    }

    @Test func aFileWithNoKnownDateKeyListsTheKeysTried() throws {
        let observations = try collect(#"{"estimated_on": "2026-11-23", "covariance": [[0.04]]}"#)
        let problem = observations.single("risk_params_valid")?.labels["problem"] ?? ""
        #expect(problem.hasPrefix("no date (one of date, as_of"))
        #expect(problem.contains("estimation_date"))
    }

    @Test func aDateKeyWithAnUnreadableValueIsNamed() throws {
        let observations = try collect(#"{"estimation_date": "23/11/2026", "covariance": [[0.04]]}"#)
        #expect(observations.single("risk_params_valid")?.labels["problem"]
            == "estimation_date is not YYYY-MM-DD or YYYYMMDD (optionally followed by a time)")
    }
}
