extension Configuration {
    /// The configuration with every log channel that writes to standard output (`path: "-"`) writing to
    /// standard error instead, for a command whose standard output is a JSON document.
    public func loggingToStandardError() -> Configuration {
        var copy = self
        for (name, channel) in channels {
            if let log = channel as? LogChannel, log.path == "-" {
                copy.channels[name] = LogChannel(name: log.name, path: "/dev/stderr", format: log.format,
                                                 zone: log.zone)
            }
        }
        return copy
    }
}
