/// What `factor_quality` keeps between runs in the state database: the recent files' figures (for the drift
/// medians) and the schema contract learned from the first good file.
struct FactorMemory {
    static let contractKey = "schema"
    let memory: any CollectorMemory
    let collector: String

    init(_ memory: any CollectorMemory, collector: String) {
        self.memory = memory
        self.collector = collector
    }

    var history: FactorHistory {
        FactorHistory(text: memory.value(collector: collector, key: FactorHistory.memoryKey))
    }

    /// The columns (name and type) every file must have; nil until a good file has been seen.
    var contract: [SchemaColumn]? {
        guard let text = memory.value(collector: collector, key: Self.contractKey), !text.isEmpty else { return nil }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return fields.count == 2 ? SchemaColumn(name: String(fields[0]), type: String(fields[1])) : nil
        }
    }

    /// Records this file's figures, and learns the contract: the first good file's columns, plus columns added
    /// since (a column that vanishes stays required; `required:` in the configuration overrides the contract).
    func remember(_ pass: FactorFilePass, keep: Int) {
        var history = self.history
        history.record(pass.fileDate.yyyymmdd, pass.historyEntries, keep: keep)
        // Only what changed is written: an unchanged file leaves the state database untouched.
        if history.text != memory.value(collector: collector, key: FactorHistory.memoryKey) {
            memory.set(history.text, collector: collector, key: FactorHistory.memoryKey)
        }
        var columns = contract ?? []
        for column in pass.table.columns where !column.isPandasIndex && !columns.contains(where: {
            $0.name == column.name
        }) {
            columns.append(SchemaColumn(name: column.name, type: column.typeName))
        }
        let contractText = Self.text(columns)
        if contractText != memory.value(collector: collector, key: Self.contractKey) {
            memory.set(contractText, collector: collector, key: Self.contractKey)
        }
    }

    static func text(_ columns: [SchemaColumn]) -> String {
        columns.map { "\($0.name)\t\($0.type)" }.joined(separator: "\n")
    }
}

/// One column of the schema contract.
struct SchemaColumn: Equatable {
    var name: String
    var type: String
}
