extension Rule {
    /// The runbook with `{{ $labels.x }}`, `{{ $value }}` and the template functions filled in, as summaries are.
    /// Decoding checked the template, so a runbook that does not parse is shown as written.
    public func renderedRunbook(labels: Labels, value: Double) -> String {
        guard runbook.contains("{{"), let template = try? Template(runbook) else { return runbook }
        return template.render(value: value, labels: labels)
    }
}
