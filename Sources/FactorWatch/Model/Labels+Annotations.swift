/// Annotation labels: a label whose name starts with `__` describes a series without identifying it. Collectors
/// put what changes from file to file there (the file's date, the worst rows), so a problem that persists across
/// files stays one alert. Rules match and compare on every label as usual; an alert's identity leaves the
/// annotations out, and its templates see each as `$labels.NAME` without the prefix.
extension Labels {
    public static let annotationPrefix = "__"

    /// The labels that identify the series.
    public var identity: Labels {
        guard items.contains(where: { $0.name.hasPrefix(Labels.annotationPrefix) }) else { return self }
        return removing(items.lazy.map(\.name).filter { $0.hasPrefix(Labels.annotationPrefix) })
    }

    /// The annotations, named without the prefix.
    public var annotations: Labels {
        var result = Labels()
        for item in items where item.name.hasPrefix(Labels.annotationPrefix) {
            result[String(item.name.dropFirst(Labels.annotationPrefix.count))] = item.value
        }
        return result
    }

    /// Sets an annotation: `annotating("date", v)` sets `__date`.
    public func annotating(_ name: String, _ value: String) -> Labels {
        setting(Labels.annotationPrefix + name, value)
    }

    /// An annotation's value, or a plain label of that name.
    public func annotation(_ name: String) -> String? {
        self[Labels.annotationPrefix + name] ?? self[name]
    }
}
