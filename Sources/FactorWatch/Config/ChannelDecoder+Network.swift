extension ChannelDecoder {
    static func smtp(_ node: ConfigNode, name: String, _ decoder: NodeDecoder) -> (any Channel)? {
        decoder.problems.error(node.location, "channel \(name): smtp channels are not available in this build")
        return nil
    }

    static func webhook(_ node: ConfigNode, name: String, _ decoder: NodeDecoder) -> (any Channel)? {
        decoder.problems.error(node.location, "channel \(name): webhook channels are not available in this build")
        return nil
    }
}
