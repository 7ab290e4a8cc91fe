import ByteRegex

/// `checks:` of the factor_files collector, and the `risk_params` collector.
extension CollectorDecoder {
    static let checkKeys = [
        "required", "style_factors", "code_pattern", "constant_tolerance", "industry_prefix", "outlier_sigma",
        "history", "standardised", "weight_column",
    ]

    /// `checks: false` turns the checks off; a mapping tunes them; absent means the defaults.
    func factorChecks(_ node: ConfigNode?) -> FactorChecks? {
        guard let node else { return FactorChecks() }
        if case .scalar = node.value {
            guard let on = decoder.bool(node, what: "checks") else { return nil }
            return on ? FactorChecks() : .disabled
        }
        guard let f = decoder.fields(node, what: "checks of collector factor_files", allowed: Self.checkKeys) else {
            return nil
        }
        var checks = FactorChecks()
        var ok = true
        if let node = f["required"] { checks.required = decoder.strings(node, what: "required") }
        if let node = f["style_factors"] {
            if let names = decoder.strings(node, what: "style_factors") {
                checks.styleFactors = names
            } else {
                ok = false
            }
        }
        if let node = f["code_pattern"], let text = decoder.string(node, what: "code_pattern") {
            do {
                try ByteRegex.validate(text)
                checks.codePattern = text
            } catch {
                decoder.problems.error(node.location, "code_pattern is not a valid regular expression: \(error)")
                ok = false
            }
        }
        if let node = f["constant_tolerance"] {
            if let value = positive(node, "constant_tolerance") { checks.constantTolerance = value } else { ok = false }
        }
        if let node = f["industry_prefix"], let text = decoder.string(node, what: "industry_prefix") {
            checks.industryPrefix = text
        }
        if let node = f["outlier_sigma"] {
            if let value = positive(node, "outlier_sigma") { checks.outlierSigma = value } else { ok = false }
        }
        if let node = f["history"], let value = decoder.int(node, what: "history") {
            if value >= FactorHistory.minimumFiles {
                checks.history = value
            } else {
                decoder.problems.error(node.location, "history must be at least \(FactorHistory.minimumFiles) files")
                ok = false
            }
        }
        if let node = f["standardised"] {
            if decoder.string(node, what: "standardised") == "auto" {
                checks.standardised = nil
            } else if let on = decoder.bool(node, what: "standardised (true, false or auto)") {
                checks.standardised = on
            }
        }
        if let node = f["weight_column"], let text = decoder.string(node, what: "weight_column") {
            checks.weightColumn = text
        }
        return ok ? checks : nil
    }

    /// `specific_risk: { path: data/barra_risk/specific_risks.parquet, column: specific_risk, clip: [0.01, 0.10] }`.
    func specificRisk(_ node: ConfigNode) -> [any Collector]? {
        guard let f = decoder.fields(node, what: "collector specific_risk", allowed: ["path", "column", "clip"]),
              let pathNode = f.required("path", decoder.problems),
              let path = decoder.path(pathNode, what: "path") else { return nil }
        var clip = 0.01...0.10
        if let node = f["clip"] {
            guard let items = decoder.list(node, what: "clip"), items.count == 2,
                  let low = decoder.double(items[0], what: "clip"), let high = decoder.double(items[1], what: "clip"),
                  low < high else {
                decoder.problems.error(node.location, "clip must be two numbers, lower first, as in [0.01, 0.10]")
                return nil
            }
            clip = low...high
        }
        let column = f["column"].flatMap { decoder.string($0, what: "column") } ?? "specific_risk"
        return [FactorSpecificRiskCollector(path: path, label: decoder.string(pathNode, what: "path"), column: column,
                                            clip: clip)]
    }

    /// `code_column: ts_code`, or a composite key `code_column: [exchange, symbol]`.
    func codeColumns(_ node: ConfigNode) -> [String]? {
        if case .scalar = node.value { return decoder.string(node, what: "code_column").map { [$0] } }
        guard let names = decoder.strings(node, what: "code_column"), !names.isEmpty else { return nil }
        return names
    }

    private func positive(_ node: ConfigNode, _ what: String) -> Double? {
        guard let value = decoder.double(node, what: what) else { return nil }
        guard value > 0 else {
            decoder.problems.error(node.location, "\(what) must be greater than 0, not \(formatValue(value))")
            return nil
        }
        return value
    }

    /// `risk_params: { path: data/barra_risk/risk_params_latest.json, factors_dir: data/barra_factors/by_date }`.
    func riskParams(_ node: ConfigNode) -> [any Collector]? {
        guard let f = decoder.fields(node, what: "collector risk_params", allowed: ["path", "factors_dir", "pattern"]),
              let pathNode = f.required("path", decoder.problems),
              let path = decoder.path(pathNode, what: "path") else { return nil }
        let dir = f["factors_dir"].flatMap { decoder.path($0, what: "factors_dir") }
        guard let pattern = decoder.filePattern(f["pattern"]) else { return nil }
        return [RiskParamsCollector(path: path, label: decoder.string(pathNode, what: "path"), factorsDir: dir,
                                    pattern: pattern)]
    }
}
