import Foundation
import Testing

@testable import FactorWatch

@Suite struct RiskParamsCollectorTests {
    /// Writes the file and collects on the evening of `today`.
    func collect(_ json: String, today: String = "20261124", factorsDir: String? = nil) throws -> [Observation] {
        let dir = TemporaryDirectory("risk")
        let path = dir.write("risk_params_latest.json", json)
        let collector = RiskParamsCollector(path: path, label: "risk.json", factorsDir: factorsDir)
        return try withExtendedLifetime(dir) {
            try collector.collect(CheckFixtures.context(today, memory: EphemeralMemory()))
        }
    }

    /// numpy's verdict on a matrix: 1 when `numpy.linalg.cholesky` succeeds.
    func numpyPositiveDefinite(_ matrix: [[Double]]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = "import json,sys,numpy as np\ntry:\n np.linalg.cholesky(np.array(json.loads(sys.argv[1])))\n"
            + " print(1)\nexcept np.linalg.LinAlgError:\n print(0)"
        process.arguments = ["python3", "-c", script, "\(matrix)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test func aHealthyListShapedFileIsValidAndPositiveDefinite() throws {
        let o = try collect("""
            {"date": "2026-11-23", "factors": ["size", "beta", "momentum"],
             "covariance": [[0.04, 0.01, 0.002], [0.01, 0.09, -0.003], [0.002, -0.003, 0.0225]]}
            """)
        #expect(o.single("risk_params_valid")?.value == 1)
        #expect(o.single("risk_params_valid")?.labels["problem"] == nil)
        #expect(o.single("risk_params_factors")?.value == 3)
        #expect(o.single("risk_params_positive_definite")?.value == 1)
        let lag = try #require(o.single("risk_params_lag_trading_days"))
        #expect(lag.value == 0 && lag.labels["date"] == "20261123")
    }

    @Test func aMappingShapedFileWithACompactDateIsRead() throws {
        let o = try collect("""
            {"trade_date": 20261120, "factor_covariance": {"size": {"size": 0.04, "beta": 0.01},
                                                        "beta": {"size": 0.01, "beta": 0.09}}}
            """)
        #expect(o.single("risk_params_valid")?.value == 1)
        #expect(o.single("risk_params_positive_definite")?.value == 1)
        // Friday's parameters on Tuesday evening are one trading day (Monday) behind Monday's file.
        #expect(o.single("risk_params_lag_trading_days")?.value == 1)
    }

    @Test func positiveDefinitenessAgreesWithNumpy() throws {
        let matrices: [[[Double]]] = [
            [[1, 0.5, 0.2], [0.5, 1, 0.3], [0.2, 0.3, 1]],
            [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]],
            [[1, 1], [1, 1]],
            [[0.04, 0], [0, -0.01]],
        ]
        for matrix in matrices {
            let o = try collect("{\"date\": \"20261124\", \"covariance\": \(matrix)}")
            #expect(o.single("risk_params_positive_definite")?.value == (try numpyPositiveDefinite(matrix)),
                    "\(matrix)")
        }
    }

    @Test(arguments: [
        ("{\"date\": \"20261124\", \"covariance\": [[1, 0], [0, 1], [0, 0]]}", "not square"),
        ("{\"date\": \"20261124\", \"covariance\": [[1, 0.2], [0.3, 1]]}", "not symmetric"),
        ("{\"date\": \"20261124\", \"covariance\": [[1, NaN], [NaN, 1]]}",
         "non-finite or missing value at row 1, column 2"),
        ("{\"date\": \"20261124\", \"covariance\": [[1, null], [0, 1]]}", "non-finite or missing"),
        ("{\"date\": \"20261124\", \"factors\": [\"a\"], \"covariance\": [[1, 0], [0, 1]]}", "1 factors named"),
        ("{\"covariance\": [[1]]}", "no date"),
        ("{\"date\": \"24/11/2026\", \"covariance\": [[1]]}", "date is not YYYY-MM-DD or YYYYMMDD"),
        ("{\"date\": \"20261124\"}", "no covariance matrix"),
        ("{\"date\": \"20261124\", \"covariance\": [[1, 0], [0, 1]", "not valid JSON at 1:"),
        ("[1, 2]", "not a JSON object"),
    ])
    func eachProblemIsNamed(json: String, problem: String) throws {
        let o = try collect(json)
        let valid = try #require(o.single("risk_params_valid"))
        #expect(valid.value == 0)
        #expect(valid.labels["problem"]?.contains(problem) == true, "\(valid.labels["problem"] ?? "none")")
    }

    @Test func aSyntaxErrorGivesLineColumnAndByteOffset() throws {
        let o = try collect("{\n  \"date\": \"20261124\",\n  \"covariance\": [[1, 0], [0 1]]\n}")
        #expect(o.single("risk_params_valid")?.labels["problem"]
            == "not valid JSON at 3:29 (byte 52): expected , or ] in an array")
    }

    @Test func aMissingFileIsInvalidNotACrash() throws {
        let collector = RiskParamsCollector(path: "/nonexistent/risk.json", label: "risk.json")
        let o = try collector.collect(CheckFixtures.context("20261124", memory: EphemeralMemory()))
        #expect(o.single("risk_params_valid")?.value == 0)
        #expect(o.single("risk_params_valid")?.labels["problem"]?.hasPrefix("cannot read") == true)
    }

    @Test func theLagIsCountedAgainstTheLatestFactorFile() throws {
        // The fixture series ends 20261124: parameters of 20261119 miss the 20th, 23rd and 24th.
        let o = try collect("{\"date\": \"2026-11-19\", \"covariance\": [[1]]}", today: "20261126",
                            factorsDir: CheckFixtures.series)
        #expect(o.single("risk_params_lag_trading_days")?.value == 3)
    }

    @Test func theLagUsesTheExchangeCalendar() throws {
        // With 2026-11-20 closed, Thursday's parameters are one trading day behind Monday's file.
        let calendar = TradingCalendar(source: .table(
            openDays: Set((16...30).map { LocalDate(year: 2026, month: 11, day: $0) }.filter {
                !$0.isWeekend && $0.day != 20
            }), covered: LocalDate(year: 2026, month: 11, day: 1)...LocalDate(year: 2026, month: 12, day: 31),
            path: "cal.csv"))
        let dir = TemporaryDirectory("risk")
        let path = dir.write("risk.json", "{\"date\": \"20261119\", \"covariance\": [[1]]}")
        let collector = RiskParamsCollector(path: path)
        let o = try withExtendedLifetime(dir) {
            try collector.collect(CheckFixtures.context("20261124", memory: EphemeralMemory(), calendar: calendar))
        }
        #expect(o.single("risk_params_lag_trading_days")?.value == 1)
    }
}
