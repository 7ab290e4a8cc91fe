#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLNodes

/// Reads and parses one YAML file; a missing file or a syntax error becomes a problem at its position.
func readYAML(_ file: String, problems: ProblemList) -> ConfigNode? {
    let start = SourceLocation(file: file, line: 1, column: 1)
    guard let data = FileManager.default.contents(atPath: file) else {
        let status = (try? FileSystem.status(file)) == nil ? "no such file" : "cannot read it"
        problems.error(start, "\(status)")
        return nil
    }
    guard let text = String(validating: data, as: UTF8.self) else {
        problems.error(start, "not UTF-8 text")
        return nil
    }
    do {
        return ConfigNode(try YAMLNode.parse(text, file: file), file: file)
    } catch {
        problems.error(SourceLocation(file: file, line: error.line, column: error.column), error.message)
        return nil
    }
}

extension ConfigNode {
    init(_ node: YAMLNode, file: String) {
        let location = SourceLocation(file: file, line: node.mark.line, column: node.mark.column)
        switch node.kind {
        case .scalar(let text, let style):
            if style.isPlain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL") {
                self.init(value: .null, location: location)
            } else {
                self.init(value: .scalar(text, quoted: style == .singleQuoted || style == .doubleQuoted),
                          location: location)
            }
        case .sequence(let items):
            self.init(value: .sequence(items.map { ConfigNode($0, file: file) }), location: location)
        case .mapping(let pairs):
            self.init(value: .mapping(pairs.map { pair in
                let keyLocation = SourceLocation(file: file, line: pair.key.mark.line, column: pair.key.mark.column)
                let key: String
                if case .scalar(let text, _) = pair.key.kind { key = text } else { key = "<complex key>" }
                return ConfigEntry(key: key, keyLocation: keyLocation, value: ConfigNode(pair.value, file: file))
            }), location: location)
        }
    }
}
