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
        let (line, column) = firstInvalidUTF8(in: [UInt8](data))
        problems.error(SourceLocation(file: file, line: line, column: column),
                       "not UTF-8 text: an invalid byte sequence starts here (save the file as UTF-8)")
        return nil
    }
    do {
        return ConfigNode(try YAMLNode.parse(text, file: file), file: file)
    } catch {
        problems.error(SourceLocation(file: file, line: error.line, column: error.column), error.message)
        return nil
    }
}

/// The line and column (in characters) of the first byte that does not begin a valid UTF-8 sequence.
func firstInvalidUTF8(in bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1, column = 1, at = 0
    while at < bytes.count {
        let lead = bytes[at]
        let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
        guard length > 0, at + length <= bytes.count,
              String(validating: bytes[at..<(at + length)], as: UTF8.self) != nil else { break }
        if lead == 0x0A {
            line += 1
            column = 1
        } else {
            column += 1
        }
        at += length
    }
    return (line, column)
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
