#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `factorwatch report`: one self-contained HTML page — inline CSS and SVG, no script, no network — with the
/// morning status, a small-multiples panel per factor over the last N trading days, job durations and the
/// alert and notification timeline. Laid out in a grid that folds to one column on a phone.
public struct ReportPage {
    public let configuration: Configuration
    public let now: Date
    /// Trading days shown.
    public let days: Int

    public init(configuration: Configuration, now: Date, days: Int = 60) {
        self.configuration = configuration
        self.now = now
        self.days = days
    }

    public func render() throws -> String {
        let store = try StateStore(path: configuration.statePath, readOnly: true)
        let data = try ReportData(store: store, rules: configuration.rules, calendar: configuration.calendar,
                                  zone: configuration.zone, count: days, now: now)
        let status = try? StatusReport(configuration: configuration, now: now)
        var html = head()
        html += "<h1>factorwatch — \(escapeHTML(configuration.host))</h1>"
        html += "<p class=\"when\">\(escapeHTML(Timestamp.format(now, in: configuration.zone)))"
        if let first = data.days.first, let last = data.days.last {
            html += " · \(data.days.count) trading days, \(first.yyyymmdd)–\(last.yyyymmdd)"
        }
        html += "</p>"
        html += status.map(statusSection) ?? ""
        html += factorSection(data)
        html += jobSection(data)
        html += timelineSection(data)
        return html + "</body></html>\n"
    }

    private func head() -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>factorwatch report — \(escapeHTML(configuration.host))</title>
        <style>
        body{font-family:-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0 auto;max-width:1100px;\
        padding:12px;color:#222;background:#fff}
        h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;border-bottom:1px solid #ccc;margin-top:1.4em}
        h3{font-size:1em;margin:.6em 0 .2em}.when{color:#666;margin:0}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:8px}
        .factor{border:1px solid #e3e3e3;border-radius:6px;padding:6px}
        .chart{width:100%;height:auto;display:block}
        ul.status{list-style:none;padding-left:0;margin:.2em 0}ul.status li{padding:1px 0}
        .ok{color:#2a7d2a}.warn{color:#b36b00}.bad{color:#c62828}
        table{border-collapse:collapse;width:100%;font-size:.9em}td,th{text-align:left;padding:3px 6px;\
        border-bottom:1px solid #eee;vertical-align:top}
        @media (max-width:520px){.grid{grid-template-columns:1fr}table{font-size:.8em}}
        </style></head><body>

        """
    }

    private func statusSection(_ status: StatusReport) -> String {
        var html = "<h2>Status</h2><div class=\"grid\">"
        let marks: [StatusLevel: String] = [.ok: "✓", .warn: "!", .bad: "✗"]
        for section in status.sections where !section.lines.isEmpty {
            html += "<div><h3>\(escapeHTML(section.title))</h3><ul class=\"status\">"
            for line in section.lines {
                html += "<li class=\"\(line.level.rawValue)\">\(marks[line.level] ?? "") \(escapeHTML(line.text))</li>"
            }
            html += "</ul></div>"
        }
        return html + "</div>"
    }

    private func factorSection(_ data: ReportData) -> String {
        var html = "<h2>Factors over the last \(data.days.count) trading days</h2>"
        let factors = data.factors
        if factors.isEmpty {
            return html + "<p>No history yet: run <code>factorwatch history backfill</code>.</p>"
        }
        let first = data.days.first?.yyyymmdd ?? "", last = data.days.last?.yyyymmdd ?? ""
        html += "<div class=\"grid\">"
        for factor in factors {
            let stability = data.figures["factor_rank_corr"] != nil ? "factor_rank_corr" : "factor_day_over_day_corr"
            let panels: [(String, String, [Double?])] = [
                ("missing fraction", "factor_missing_fraction",
                 data.series("factor_missing_fraction", label: "column", factor)),
                ("cross-sectional std", "factor_std", data.series("factor_std", label: "factor", factor)),
                ("day-over-day rank corr", stability, data.series(stability, label: "factor", factor)),
                ("coverage (stocks)", "factor_rows", data.coverage(factor)),
            ]
            html += "<div class=\"factor\"><h3>\(escapeHTML(factor))</h3>"
            for (title, metric, values) in panels {
                let chart = SVGChart(title: title, values: values, thresholds: data.thresholds(metric),
                                     marked: data.firedSlots(metric, factor), firstLabel: first, lastLabel: last)
                html += chart.render()
            }
            html += "</div>"
        }
        return html + "</div>"
    }

    private func jobSection(_ data: ReportData) -> String {
        let jobs = Array(Set(data.runs.map(\.job))).sorted()
        var html = "<h2>Job durations</h2>"
        if jobs.isEmpty { return html + "<p>No job runs recorded (<code>factorwatch run --job NAME -- …</code>).</p>" }
        html += "<div class=\"grid\">"
        for job in jobs {
            let runs = data.runs.filter { $0.job == job }
            let chart = SVGChart(title: "\(job) (minutes)", values: runs.map { $0.duration / 60 },
                                 marked: Set(runs.indices.filter { runs[$0].exitCode != 0 }),
                                 firstLabel: runs.first.map { configuration.zone.localDate($0.finishedAt).yyyymmdd } ?? "",
                                 lastLabel: runs.last.map { configuration.zone.localDate($0.finishedAt).yyyymmdd } ?? "")
            html += "<div class=\"factor\">\(chart.render())</div>"
        }
        return html + "</div>"
    }

    private func timelineSection(_ data: ReportData) -> String {
        var rows: [(Date, String)] = []
        for entry in data.alertHistory {
            rows.append((entry.at, "<td>\(escapeHTML(entry.to))</td><td>\(escapeHTML(entry.severity.rawValue))</td>"
                         + "<td>\(escapeHTML(entry.key.rule))\(escapeHTML(entry.key.labels.description))</td>"
                         + "<td>\(escapeHTML(entry.summary))</td>"))
        }
        for entry in data.audit {
            let text = entry.subject + (entry.error.map { " — \($0)" } ?? "")
            rows.append((entry.at, "<td>notified</td><td>\(escapeHTML(entry.status))</td>"
                         + "<td>\(escapeHTML(entry.channel))</td><td>\(escapeHTML(text))</td>"))
        }
        var html = "<h2>Alerts and notifications</h2>"
        if rows.isEmpty { return html + "<p>Nothing fired or was sent in this period.</p>" }
        html += "<table><tr><th>time</th><th>event</th><th></th><th>alert / channel</th><th>text</th></tr>"
        for (at, cells) in rows.sorted(by: { $0.0 > $1.0 }).prefix(300) {
            html += "<tr><td>\(escapeHTML(Timestamp.format(at, in: configuration.zone)))</td>\(cells)</tr>"
        }
        return html + "</table>"
    }
}
