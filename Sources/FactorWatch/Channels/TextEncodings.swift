/// The byte-level encodings mail and HTTP need: base64, quoted-printable, RFC 2047 encoded words, URL encoding.
enum TextEncodings {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 in lines of 76 characters ending in CRLF, as a MIME body.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Array(base64(bytes).utf8)
        var lines: [String] = []
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            lines.append(String(decoding: encoded[start..<end], as: UTF8.self))
            start = end
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// Quoted-printable (RFC 2045 §6.7) with CRLF line ends. A dot or space opening a line is encoded too, so no line
    /// of the body can end an SMTP DATA phase or lose white space in transit.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output = ""
        let lines = text.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (lineIndex, line) in lines.enumerated() {
            var current: [UInt8] = []
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                var token: [UInt8]
                let isLast = index == bytes.count - 1
                let plain =
                    (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 32 || byte == 9) && !isLast)
                if plain && !(current.isEmpty && (byte == UInt8(ascii: ".") || byte == 32)) {
                    token = [byte]
                } else {
                    token = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
                }
                // 76 characters at most, the soft break's `=` included.
                if current.count + token.count > 75 {
                    output += String(decoding: current, as: UTF8.self) + "=\r\n"
                    current = []
                    if token == [UInt8(ascii: ".")] || token == [32] {
                        token = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
                    }
                }
                current += token
            }
            output += String(decoding: current, as: UTF8.self)
            if lineIndex < lines.count - 1 { output += "\r\n" }
        }
        return output
    }

    /// A header value safe to send: control characters (CR and LF above all) become spaces, so no text can start a
    /// header of its own.
    static func headerSafe(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map {
                    ($0.value < 32 || $0.value == 127) ? " " : $0
                }))
    }

    /// An unstructured header value (Subject): plain when it is short printable ASCII, otherwise RFC 2047 `B` encoded
    /// words of at most 75 characters, folded onto continuation lines, never splitting a character.
    static func encodedHeaderValue(_ text: String, headerName: String) -> String {
        let safe = headerSafe(text)
        if safe.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }),
            safe.utf8.count + headerName.count + 2 <= 78, !safe.contains("=?")
        {
            return safe
        }
        // 75 - "=?UTF-8?B?" - "?=" leaves 63 base64 characters: 45 bytes of text per word (47 would not fit).
        let maxBytes = 45
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in safe {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > maxBytes, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + base64(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + base64(chunk) + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `application/x-www-form-urlencoded`: unreserved characters kept, space as `+`, everything else `%XX`.
    static func formEncode(_ text: String) -> String {
        percentEncode(text, spaceAsPlus: true)
    }

    static func percentEncode(_ text: String, spaceAsPlus: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " ") where spaceAsPlus:
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func form(_ fields: [(String, String)]) -> String {
        fields.map { formEncode($0.0) + "=" + formEncode($0.1) }.joined(separator: "&")
    }
}
