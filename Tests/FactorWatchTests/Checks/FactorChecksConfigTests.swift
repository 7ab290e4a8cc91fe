import Foundation
import Testing

@testable import FactorWatch

@Suite struct FactorChecksConfigTests {
    func main(_ collectors: String) -> String {
        """
        timezone: Asia/Shanghai
        state: state/fw.db
        collectors:
        \(collectors)
        routes:
          critical: { channels: [log], repeat: 2h }
        """
    }

    @Test func checksAreOnByDefaultAndTunable() throws {
        let fixture = ConfigFixture(main: main("""
              factor_files:
                dir: data
                checks:
                  required: [ts_code, size]
                  code_pattern: "^[0-9]{6}$"
                  constant_tolerance: 1e-4
                  industry_prefix: sw_
                  outlier_sigma: 4
                  history: 30
                  standardised: true
                  weight_column: circ_mv
            """))
        let collectors = try fixture.load().configuration.collectors
        let quality = try #require(collectors.compactMap { $0 as? FactorQualityCollector }.first)
        #expect(quality.checks == FactorChecks(required: ["ts_code", "size"], codePattern: "^[0-9]{6}$",
                                               constantTolerance: 1e-4, industryPrefix: "sw_", outlierSigma: 4,
                                               history: 30, standardised: true, weightColumn: "circ_mv"))
        let plain = ConfigFixture(main: main("  factor_files: { dir: data }"))
        #expect(try plain.load().configuration.collectors.compactMap { $0 as? FactorQualityCollector }.first?.checks
            == FactorChecks())
        let off = ConfigFixture(main: main("  factor_files: { dir: data, checks: false }"))
        #expect(try off.load().configuration.collectors.compactMap { $0 as? FactorQualityCollector }.first?.checks
            == .disabled)
    }

    @Test func unknownAndInvalidSettingsAreErrorsWithPositions() {
        let fixture = ConfigFixture(main: main("""
              factor_files:
                dir: data
                checks: { outlier_sigmas: 4, code_pattern: "([0-9]", history: 2, constant_tolerance: -1 }
            """))
        let problems = fixture.problems()
        #expect(problems.contains {
            $0.hasPrefix("factorwatch.yaml:6:15: unknown key \"outlier_sigmas\"") && $0.contains("\"outlier_sigma\"?")
        }, "\(problems)")
        #expect(problems.contains { $0.contains("code_pattern is not a valid regular expression") }, "\(problems)")
        #expect(problems.contains { $0.contains("history must be at least 5 files") }, "\(problems)")
        #expect(problems.contains { $0.contains("constant_tolerance must be greater than 0, not -1") }, "\(problems)")
    }

    @Test func riskParamsIsACollectorKind() throws {
        let fixture = ConfigFixture(main: main("""
              risk_params: { path: data/barra_risk/risk_params_latest.json, factors_dir: data/by_date }
            """))
        let collector = try #require(try fixture.load().configuration.collectors.first as? RiskParamsCollector)
        #expect(collector.path == fixture.dir.path + "/data/barra_risk/risk_params_latest.json")
        #expect(collector.factorsDir == fixture.dir.path + "/data/by_date")
        #expect(collector.label == "data/barra_risk/risk_params_latest.json")
        let missing = ConfigFixture(main: main("  risk_params: { factors_dir: x }"))
        #expect(missing.problems().contains { $0.contains("collector risk_params needs \"path\"") })
    }
}
