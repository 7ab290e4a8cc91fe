/// A small line chart as inline SVG: one series over evenly spaced slots (trading days or runs), gaps where a
/// slot has no value, dashed threshold lines, and marked slots (days an alert fired).
struct SVGChart {
    var title: String
    /// One value per slot; nil is a gap (no file that day).
    var values: [Double?]
    var thresholds: [(value: Double, label: String)] = []
    var marked: Set<Int> = []
    /// Texts under the first and last slot.
    var firstLabel = "", lastLabel = ""
    var format: (Double) -> String = { formatValue($0) }

    static let width = 300.0, height = 120.0
    static let left = 44.0, right = 6.0, top = 18.0, bottom = 18.0
    static let lineColour = "#1f6fb4", thresholdColour = "#d62728", markColour = "#d62728"

    func render() -> String {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        let (shown, offScale) = visibleThresholds(finite)
        let limits = finite + shown.map(\.value)
        var low = limits.min() ?? 0, high = limits.max() ?? 1
        if low == high {
            // A constant: zero sits on the floor of a 0–1 axis, anything else in the middle of ±10%.
            if low == 0 { high = 1 } else { (low, high) = (low - Swift.abs(low) * 0.1, high + Swift.abs(high) * 0.1) }
        }
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let step = values.count > 1 ? plotWidth / Double(values.count - 1) : 0
        func x(_ slot: Int) -> Double { Self.left + Double(slot) * step + (values.count == 1 ? plotWidth / 2 : 0) }
        // Three pixels inside the frame, so a line at the minimum or maximum is not hidden by the border.
        func y(_ value: Double) -> Double { Self.top + 3 + (high - value) / (high - low) * (plotHeight - 6) }

        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" "
            + "aria-label=\"\(escapeHTML(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<rect class=\"plot\" x=\"\(Self.left)\" y=\"\(Self.top)\" width=\"\(plotWidth)\" "
            + "height=\"\(plotHeight)\" fill=\"#fafafa\" stroke=\"#ddd\"/>"
        svg += text(4, 12, escapeHTML(title), anchor: "start", weight: "bold")
        svg += text(Self.left - 3, Self.top + 4, format(high), anchor: "end")
        svg += text(Self.left - 3, Self.top + plotHeight, format(low), anchor: "end")
        svg += text(Self.left, Self.height - 4, firstLabel, anchor: "start")
        svg += text(Self.width - Self.right, Self.height - 4, lastLabel, anchor: "end")
        for (index, threshold) in offScale.enumerated() {
            let above = threshold.value > high
            let level = above ? Self.top + 10 + Double(index) * 10 : Self.top + plotHeight - 3 - Double(index) * 10
            svg += "<text x=\"\(r(Self.width - Self.right - 2))\" y=\"\(r(level))\" "
                + "font-size=\"9\" text-anchor=\"end\" fill=\"\(Self.thresholdColour)\">\(above ? "▲" : "▼") "
                + "\(escapeHTML(format(threshold.value)))<title>\(escapeHTML(threshold.label))</title></text>"
        }
        for threshold in shown {
            let level = y(threshold.value)
            svg += "<line x1=\"\(Self.left)\" x2=\"\(Self.width - Self.right)\" y1=\"\(r(level))\" y2=\"\(r(level))\" "
                + "stroke=\"\(Self.thresholdColour)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\">"
                + "<title>\(escapeHTML(threshold.label))</title></line>"
        }
        for segment in segments() {
            let points = segment.map { "\(r(x($0))),\(r(y(values[$0]!)))" }.joined(separator: " ")
            if segment.count == 1 {
                svg += "<circle cx=\"\(r(x(segment[0])))\" cy=\"\(r(y(values[segment[0]]!)))\" r=\"2\" "
                    + "fill=\"\(Self.lineColour)\"/>"
            } else {
                svg += "<polyline fill=\"none\" stroke=\"\(Self.lineColour)\" stroke-width=\"2\" points=\"\(points)\"/>"
            }
        }
        for slot in marked.sorted() where slot < values.count {
            let level = values[slot].flatMap { $0.isFinite ? y($0) : nil } ?? Self.top + 4
            svg += "<circle cx=\"\(r(x(slot)))\" cy=\"\(r(level))\" r=\"4\" fill=\"\(Self.markColour)\">"
                + "<title>alert fired</title></circle>"
        }
        if finite.isEmpty {
            svg += text(Self.left + plotWidth / 2, Self.top + plotHeight / 2, "no data", anchor: "middle")
        }
        return svg + "</svg>"
    }

    /// Thresholds near the data are drawn as lines; those far off it (a 4,000-stock floor over 300 stocks) are
    /// named at the edge instead, so they do not flatten the series.
    private func visibleThresholds(_ finite: [Double]) -> (shown: [(value: Double, label: String)],
                                                             offScale: [(value: Double, label: String)]) {
        let usable = thresholds.filter(\.value.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return (usable, []) }
        let span = Swift.max(high - low, Swift.abs(high) * 0.25, 1e-12)
        let near = usable.filter { $0.value >= low - span && $0.value <= high + span }
        return (near, usable.filter { $0.value < low - span || $0.value > high + span })
    }

    /// Runs of consecutive slots with a finite value.
    private func segments() -> [[Int]] {
        var result: [[Int]] = [], current: [Int] = []
        for (slot, value) in values.enumerated() {
            if let value, value.isFinite { current.append(slot) } else if !current.isEmpty {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private func text(_ x: Double, _ y: Double, _ content: String, anchor: String, weight: String = "normal")
        -> String {
        "<text x=\"\(r(x))\" y=\"\(r(y))\" font-size=\"10\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" "
            + "fill=\"#333\">\(content)</text>"
    }

    private func r(_ value: Double) -> String { formatDouble(value, format: "%.1f") }
}
