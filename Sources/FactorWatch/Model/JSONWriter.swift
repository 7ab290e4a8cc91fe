#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one JSON writer: every document factorwatch prints, posts, logs or stores is written here, keys sorted so
/// the same value always gives the same bytes.
public struct JSONWriter: Sendable {
    /// `pretty` for what people read; `compact` for one line (request bodies, log lines).
    public enum Layout: Sendable { case pretty, compact }

    public var layout: Layout
    /// The state database's form: dates as Unix seconds, non-finite numbers as "+Inf", "-Inf" and "NaN", and `/`
    /// escaped as `\/` — stored labels are lookup keys, so they keep the bytes earlier versions wrote.
    public var storage: Bool

    public static let pretty = JSONWriter(layout: .pretty, storage: false)
    public static let compact = JSONWriter(layout: .compact, storage: false)
    public static let stored = JSONWriter(layout: .compact, storage: true)

    /// The document, or the encoder's error (a non-finite number outside the stored form, for one).
    public func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The document; `fallback` when the value cannot be written.
    public func string(_ value: some Encodable, fallback: String = "{}") -> String {
        (try? encode(value)) ?? fallback
    }

    /// The inside of a JSON string literal, without its quotes: for values put into a JSON template.
    public func escaped(_ text: String) -> String {
        String(string(text, fallback: "\"\"").dropFirst().dropLast())
    }

    private var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        var formatting: JSONEncoder.OutputFormatting = [.sortedKeys]
        if layout == .pretty { formatting.insert(.prettyPrinted) }
        if storage {
            encoder.dateEncodingStrategy = .secondsSince1970
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        } else {
            formatting.insert(.withoutEscapingSlashes)
        }
        encoder.outputFormatting = formatting
        return encoder
    }
}

/// A command's JSON output (pretty unless told otherwise), through the one writer.
public func encodeJSON(_ value: some Encodable, pretty: Bool = true) -> String {
    (pretty ? JSONWriter.pretty : JSONWriter.compact).string(value)
}

/// A number in JSON; NaN and infinities (which JSON cannot hold) become null.
public struct JSONNumber: Encodable, Sendable {
    public var value: Double
    public init(_ value: Double) { self.value = value }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if value.isFinite {
            if value == value.rounded(), abs(value) < 1e15 { try container.encode(Int64(value)) } else {
                try container.encode(value)
            }
        } else {
            try container.encodeNil()
        }
    }
}
