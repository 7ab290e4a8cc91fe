import Foundation
import Testing

@testable import FactorWatch

struct ChannelEncodingTests {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(
            hex(HMACSHA256.sha256(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(HMACSHA256.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(
            hex(HMACSHA256.sha256(Array(twoBlocks.utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func hmacMatchesRFC4231() {
        // Test case 1: a 20-byte key of 0x0b.
        #expect(
            hex(HMACSHA256.mac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // Test case 2: a key shorter than the block.
        #expect(
            hex(HMACSHA256.mac(key: "Jefe", message: "what do ya want for nothing?"))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a key longer than the block is hashed first.
        #expect(
            hex(
                HMACSHA256.mac(
                    key: [UInt8](repeating: 0xaa, count: 131),
                    message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func base64AgreesWithFoundation() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(TextEncodings.base64(bytes) == Data(bytes).base64EncodedString())
        }
    }

    @Test func encodedSubjectSplitsBetweenCharactersAndStaysShort() {
        let subject = String(repeating: "因子数据缺失 critical — ", count: 6)
        let encoded = TextEncodings.encodedHeaderValue(subject, headerName: "Subject")
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
            // Every word is valid UTF-8 on its own.
            #expect(String(data: payload, encoding: .utf8) != nil)
            decoded += payload
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        #expect(TextEncodings.encodedHeaderValue("plain ascii", headerName: "Subject") == "plain ascii")
        #expect(TextEncodings.encodedHeaderValue("a\r\nBcc: x", headerName: "Subject") == "a  Bcc: x")
    }

    @Test func quotedPrintableKeepsLinesShortAndDotsHarmless() {
        let text = ".\nline with trailing space \n" + String(repeating: "数据=", count: 30) + "\n end"
        let encoded = TextEncodings.quotedPrintable(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.count <= 76)
            #expect(!line.hasPrefix("."))
            #expect(!line.hasSuffix(" "))
        }
        #expect(encoded.hasPrefix("=2E\r\n"))
        // Decoding it back (soft breaks removed, escapes resolved) gives the text with CRLF line ends.
        var bytes: [UInt8] = []
        let source = Array(encoded.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "=") {
                bytes.append(UInt8(String(decoding: source[index + 1...index + 2], as: UTF8.self), radix: 16)!)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        #expect(String(decoding: bytes, as: UTF8.self) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func redactedURLKeepsOnlySchemeAndHost() {
        #expect(redactedURL("https://oapi.dingtalk.com/robot/send?access_token=abc") == "https://oapi.dingtalk.com/…")
        #expect(redactedURL("http://user:pw@127.0.0.1:8080/x") == "http://127.0.0.1:8080/…")
        #expect(redactedURL("smtp://mail.example.com:587") == "smtp://mail.example.com:587")
        #expect(redacting("token abc123 and abc1234", ["abc123", "abc1234"]) == "token <redacted> and <redacted>")
    }

    @Test func placeholdersAreReplacedAndUnknownOnesKept() {
        let values = PlaceholderTemplate.Values(summary: "S", subject: "T", body: "B")
        #expect(
            PlaceholderTemplate("{{ .Summary }}|{{.Subject}}|{{  .Body  }}|{{ .Nope }}|{{ open").render(values)
                == "S|T|B|{{ .Nope }}|{{ open")
        let digest = channelSampleDigest()
        #expect(PlaceholderTemplate.summary(of: digest).hasPrefix("[CRITICAL] 1 firing, 1 resolved — quant-01: "))
        #expect(!PlaceholderTemplate.summary(of: digest).contains("\n"))
    }

    @Test func messageDateIsRFC5322InTheConfiguredZone() {
        #expect(MIMEMessage.rfc5322Date(at("2026-11-24T02:45"), zone: shanghai) == "Tue, 24 Nov 2026 02:45:00 +0800")
        #expect(MIMEMessage.rfc5322Date(at("2026-11-24T02:45"), zone: .utc) == "Mon, 23 Nov 2026 18:45:00 +0000")
    }
}
