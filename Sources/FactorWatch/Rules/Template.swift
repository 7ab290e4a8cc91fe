/// A summary/description template in the Go-template subset alert rules use:
/// `{{ $value }}`, `{{ $labels.NAME }}`, `{{ .Value }}`, `{{ .Labels.NAME }}`, `{{ printf "%.2f" $value }}`,
/// pipelines (`{{ $value | humanize }}`), `{{- trim -}}` markers and `{{/* comments */}}`.
/// Everything is checked when the template is parsed, so rendering cannot fail.
public struct Template: Sendable, CustomStringConvertible {
    public let source: String
    let nodes: [TemplateNode]

    /// - Parameter fields: extra `.Name` fields a caller will supply at render time (e.g. `Summary`).
    public init(_ source: String, fields: Set<String> = []) throws(TemplateError) {
        self.source = source
        nodes = try TemplateParser.parse(source, fields: fields)
    }

    /// True when the template has no actions, so rendering returns the text unchanged.
    public var isPlainText: Bool { nodes.allSatisfy { if case .text = $0 { true } else { false } } }

    public func render(value: Double, labels: Labels) -> String {
        render(value: value, labels: labels, fields: [:])
    }

    public func render(value: Double, labels: Labels, fields: [String: String]) -> String {
        let context = TemplateContext(value: value, labels: labels, fields: fields)
        var output = ""
        for node in nodes {
            switch node {
            case .text(let text): output += text
            case .action(let pipeline): output += context.evaluate(pipeline).text
            }
        }
        return output
    }

    public var description: String { source }
}

enum TemplateNode: Sendable {
    case text(String)
    case action(TemplatePipeline)
}

/// `command | command | ...`: each command's result is passed as the last argument of the next.
struct TemplatePipeline: Sendable {
    var commands: [TemplateCommand]
}

struct TemplateCommand: Sendable {
    var function: TemplateFunction?
    var arguments: [TemplateOperand]
}

enum TemplateOperand: Sendable {
    case value
    case labels
    case label(String)
    case field(String)
    case string(String)
    case number(Double)
}

/// A value inside a template: what operands and functions produce.
enum TemplateValue {
    case number(Double)
    case string(String)
    case labels(Labels)

    /// How Go's text/template prints the value.
    var text: String {
        switch self {
        case .number(let number): return formatValue(number)
        case .string(let string): return string
        case .labels(let labels):
            return "map[" + labels.map { "\($0.name):\($0.value)" }.joined(separator: " ") + "]"
        }
    }

    var number: Double? {
        switch self {
        case .number(let number): return number
        case .string(let string): return Double(string.trimmed())
        case .labels: return nil
        }
    }
}

struct TemplateContext {
    var value: Double
    var labels: Labels
    var fields: [String: String]

    func evaluate(_ pipeline: TemplatePipeline) -> TemplateValue {
        var previous: TemplateValue?
        for command in pipeline.commands {
            var arguments = command.arguments.map(resolve)
            if let previous { arguments.append(previous) }
            if let function = command.function {
                previous = function.apply(arguments)
            } else {
                previous = arguments.first
            }
        }
        return previous ?? .string("")
    }

    private func resolve(_ operand: TemplateOperand) -> TemplateValue {
        switch operand {
        case .value: return .number(value)
        case .labels: return .labels(labels)
        // A missing label prints as nothing rather than Go's "<no value>".
        case .label(let name): return .string(labels[name] ?? "")
        case .field(let name): return .string(fields[name] ?? "")
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        }
    }
}
