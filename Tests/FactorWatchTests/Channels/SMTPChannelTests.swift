import Foundation
import Testing

@testable import FactorWatch

/// Each test runs a real aiosmtpd server and reads back what it saved.
@Suite(.enabled(if: aiosmtpdAvailable || runningInCI, "python3 cannot import aiosmtpd: SMTP channel tests skipped"))
struct SMTPChannelTests {
    let password = "s3cret-Pa55word"

    func channel(
        _ url: String, tls: SMTPTLSMode = .none, verify: Bool = true, caFile: String? = nil,
        username: String? = nil, password: String? = nil, timeout: Double = 10,
        configure: (inout SMTPSettings) -> Void = { _ in }
    ) -> SMTPChannel {
        var settings = SMTPSettings(
            url: url, tls: tls, verify: verify, caFile: caFile, username: username,
            password: password.map(Secret.init), from: "factorwatch <alerts@example.com>",
            to: ["admin@example.com", "Trader <trader@example.com>"], connectTimeout: 5,
            timeout: timeout)
        configure(&settings)
        return SMTPChannel(name: "email", settings: settings, zone: shanghai)
    }

    func headers(_ record: [String: Any]) -> [String: String] {
        var result: [String: String] = [:]
        for pair in record["headers"] as? [[String]] ?? [] { result[pair[0]] = pair[1] }
        return result
    }

    @Test func deliversAProperMessageToEveryRecipient() throws {
        let dir = TemporaryDirectory("smtp-plain")
        let server = try ChannelTestServer(script: "smtp_server.py", folder: dir.path)
        defer { server.stop() }
        let email = channel("smtp://127.0.0.1:\(server.port)")
        let digest = channelSampleDigest()

        #expect(email.deliver(digest) == .sent)

        let record = try #require(server.records().first)
        #expect(record["rcpt_tos"] as? [String] == ["admin@example.com", "trader@example.com"])
        #expect(record["mail_from"] as? String == "alerts@example.com")
        #expect(record["subject"] as? String == "[CRITICAL] 1 firing, 1 resolved — quant-01")
        #expect((record["defects"] as? [String])?.isEmpty == true)
        let text = try #require(record["text"] as? String).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.contains("因子数据缺失"))
        #expect(text.contains("下载任务可能失败"))
        #expect(text == email.render(digest).body)
        let fields = headers(record)
        #expect(fields["Date"] == "Tue, 24 Nov 2026 02:45:00 +0800")
        #expect(fields["MIME-Version"] == "1.0")
        #expect(fields["From"] == "factorwatch <alerts@example.com>")
        #expect(fields["To"]?.contains("trader@example.com") == true)
        #expect(fields["Message-ID"]?.hasSuffix("@example.com>") == true)
        #expect(fields["Content-Type"]?.lowercased() == "text/plain; charset=\"utf-8\"")
        let raw = try #require(server.rawMessages().first)
        #expect(raw.contains("Subject: =?UTF-8?B?"))
        #expect(raw.contains("Content-Transfer-Encoding: base64"))
    }

    @Test func quotedPrintableAndHTMLAlternativeArriveIntact() throws {
        let dir = TemporaryDirectory("smtp-qp")
        let server = try ChannelTestServer(script: "smtp_server.py", folder: dir.path)
        defer { server.stop() }
        let email = channel("smtp://127.0.0.1:\(server.port)") {
            $0.html = true
            $0.encoding = "quoted-printable"
        }
        #expect(email.deliver(channelSampleDigest()) == .sent)

        let record = try #require(server.records().first)
        #expect(record["content_type"] as? String == "multipart/alternative")
        #expect((record["text"] as? String)?.contains("因子数据缺失") == true)
        #expect((record["html"] as? String)?.contains("<pre") == true)
        #expect((record["html"] as? String)?.contains("因子数据缺失") == true)
        #expect((record["defects"] as? [String])?.isEmpty == true)
        #expect(server.rawMessages().first?.contains("quoted-printable") == true)
    }

    @Test func serverDownIsARetryableFailure() {
        let port = ChannelTestServer.closedPort()
        let result = channel("smtp://127.0.0.1:\(port)").deliver(channelSampleDigest())
        #expect(result.isRetryable == true)
        let message = result.failureMessage ?? ""
        #expect(message.contains("curl error 7"))
        #expect(message.contains("connection refused"))
    }

    @Test func startTLSWithAuthenticationSucceeds() throws {
        let dir = TemporaryDirectory("smtp-starttls")
        let (cert, key) = try makeSelfSignedCertificate(in: dir.path)
        let server = try ChannelTestServer(
            script: "smtp_server.py", folder: dir.path + "/mail",
            arguments: [
                "--cert", cert, "--key", key, "--starttls",
                "--auth", "alerts:\(password)",
            ])
        defer { server.stop() }
        let email = channel(
            "smtp://127.0.0.1:\(server.port)", tls: .starttls, caFile: cert, username: "alerts",
            password: password)
        #expect(email.deliver(channelSampleDigest()) == .sent)
        let record = try #require(server.records().first)
        #expect(record["tls"] as? Bool == true)
        #expect(record["authenticated"] as? Bool == true)
    }

    @Test func wrongPasswordIsAFinalAuthenticationFailureWithoutThePassword() throws {
        let dir = TemporaryDirectory("smtp-auth")
        let (cert, key) = try makeSelfSignedCertificate(in: dir.path)
        let server = try ChannelTestServer(
            script: "smtp_server.py", folder: dir.path + "/mail",
            arguments: [
                "--cert", cert, "--key", key, "--starttls",
                "--auth", "alerts:right-password",
            ])
        defer { server.stop() }
        let email = channel(
            "smtp://127.0.0.1:\(server.port)", tls: .starttls, caFile: cert, username: "alerts",
            password: password)
        let result = email.deliver(channelSampleDigest())
        #expect(result.isRetryable == false)
        let message = result.failureMessage ?? ""
        #expect(message.contains("authentication"))
        #expect(message.contains("curl error 67"))
        #expect(!message.contains(password))
        #expect(!email.description.contains(password))
        #expect(!"\(email.settings.password!)".contains(password))
        #expect(server.records().isEmpty)
    }

    @Test func selfSignedCertificateFailsVerificationUnlessTrustedOrSkipped() throws {
        let dir = TemporaryDirectory("smtp-verify")
        let (cert, key) = try makeSelfSignedCertificate(in: dir.path)
        let server = try ChannelTestServer(
            script: "smtp_server.py", folder: dir.path + "/mail",
            arguments: ["--cert", cert, "--key", key, "--starttls"])
        defer { server.stop() }
        let url = "smtp://127.0.0.1:\(server.port)"

        let untrusted = channel(url, tls: .starttls).deliver(channelSampleDigest())
        #expect(untrusted.isRetryable == false)
        #expect(untrusted.failureMessage?.contains("certificate") == true)
        #expect(server.records().isEmpty)

        #expect(channel(url, tls: .starttls, caFile: cert).deliver(channelSampleDigest()) == .sent)
        #expect(channel(url, tls: .starttls, verify: false).deliver(channelSampleDigest()) == .sent)
        #expect(server.records().count == 2)
    }

    @Test func requiredStartTLSFailsWhenTheServerDoesNotOfferIt() throws {
        let dir = TemporaryDirectory("smtp-nostarttls")
        let server = try ChannelTestServer(script: "smtp_server.py", folder: dir.path)
        defer { server.stop() }
        let result = channel("smtp://127.0.0.1:\(server.port)", tls: .starttls).deliver(channelSampleDigest())
        #expect(result.isRetryable == false)
        #expect(result.failureMessage?.contains("STARTTLS") == true)
        #expect(server.records().isEmpty)
        #expect(channel("smtp://127.0.0.1:\(server.port)", tls: .opportunistic).deliver(channelSampleDigest()) == .sent)
    }

    @Test func implicitTLSDelivers() throws {
        let dir = TemporaryDirectory("smtp-implicit")
        let (cert, key) = try makeSelfSignedCertificate(in: dir.path)
        let server = try ChannelTestServer(
            script: "smtp_server.py", folder: dir.path + "/mail",
            arguments: ["--cert", cert, "--key", key, "--implicit-tls"])
        defer { server.stop() }
        let email = channel("smtp://127.0.0.1:\(server.port)", tls: .implicit, caFile: cert)
        #expect(email.description.contains("smtps://127.0.0.1"))
        #expect(email.deliver(channelSampleDigest()) == .sent)
        #expect(server.records().first?["tls"] as? Bool == true)
    }

    @Test func refusedRecipientIsAFinalFailure() throws {
        let dir = TemporaryDirectory("smtp-rcpt")
        let server = try ChannelTestServer(script: "smtp_server.py", folder: dir.path)
        defer { server.stop() }
        let email = channel("smtp://127.0.0.1:\(server.port)") { $0.to = ["rejected@example.com"] }
        let result = email.deliver(channelSampleDigest())
        #expect(result.isRetryable == false)
        #expect(result.failureMessage?.contains("550") == true)
        #expect(server.records().isEmpty)
    }

    @Test func slowServerTimesOutAsRetryable() throws {
        let dir = TemporaryDirectory("smtp-slow")
        let server = try ChannelTestServer(script: "smtp_server.py", folder: dir.path, arguments: ["--delay", "8"])
        defer { server.stop() }
        let started = Date()
        let email = channel("smtp://127.0.0.1:\(server.port)", timeout: 1) { $0.finalReplyTimeout = 1 }
        let result = email.deliver(channelSampleDigest())
        #expect(Date().timeIntervalSince(started) < 6)
        #expect(result.isRetryable == true)
        #expect(result.failureMessage?.contains("no final reply within 1s") == true, "\(result)")
    }

    /// RFC 5321 §4.5.3.2.6: once the message is sent the final reply may take 10 minutes; `timeout` does not cut it.
    @Test func aSlowFinalReplyWithinItsBudgetIsDelivered() throws {
        let dir = TemporaryDirectory("smtp-slow-final")
        let server = try ChannelTestServer(script: "smtp_server.py", folder: dir.path, arguments: ["--delay", "3"])
        defer { server.stop() }
        let result = channel("smtp://127.0.0.1:\(server.port)", timeout: 1).deliver(channelSampleDigest())
        #expect(result == .sent, "\(result)")
        #expect(server.records().count == 1)
    }

    /// Before the message is sent, `timeout` still bounds the whole submission (a server that never greets).
    @Test func aServerThatNeverGreetsTimesOutAfterTimeout() throws {
        let deaf = try ListeningDeafServer()
        let started = Date()
        let result = channel("smtp://127.0.0.1:\(deaf.port)", timeout: 1).deliver(channelSampleDigest())
        #expect(Date().timeIntervalSince(started) < 4, "took \(Date().timeIntervalSince(started)) s")
        #expect(result.isRetryable == true)
        #expect(result.failureMessage?.contains("before the message was sent") == true, "\(result)")
    }

    @Test func alertTextCannotInjectHeadersOrEndTheMessage() throws {
        let dir = TemporaryDirectory("smtp-inject")
        let server = try ChannelTestServer(script: "smtp_server.py", folder: dir.path)
        defer { server.stop() }
        let hostile = "disk full\r\nBcc: victim@example.net\r\n.\r\nMAIL FROM:<x@evil>\n.\nX-Injected: yes"
        let email = channel("smtp://127.0.0.1:\(server.port)") { $0.subjectTemplate = "{{ .Summary }}" }
        for encoding in MailTransferEncoding.allCases.map(\.rawValue) {
            var settings = email.settings
            settings.encoding = encoding
            let sender = SMTPChannel(name: "email", settings: settings, zone: shanghai)
            let digest = channelSampleDigest(summary: hostile, labels: ["path": "/data\r\nX-Label: injected\r\n.\r\n"])
            #expect(sender.deliver(digest) == .sent)
        }

        let records = server.records()
        #expect(records.count == 2)
        for record in records {
            let names = (record["headers"] as? [[String]] ?? []).map { $0[0].lowercased() }
            #expect(!names.contains("bcc"))
            #expect(!names.contains("x-injected"))
            #expect(!names.contains("x-label"))
            #expect(record["rcpt_tos"] as? [String] == ["admin@example.com", "trader@example.com"])
            let text = (record["text"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            #expect(text.contains("MAIL FROM:<x@evil>\n.\nX-Injected: yes"))
            #expect(text.contains("factorwatch on quant-01"))
            #expect((record["subject"] as? String)?.contains("Bcc: victim@example.net") == true)
        }
    }
}

/// A TCP port on 127.0.0.1 that accepts connections (the kernel's backlog) but never says a word.
final class ListeningDeafServer: @unchecked Sendable {
    private let fd: Int32
    let port: Int

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let descriptor = fd
        port = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                _ = bind(descriptor, $0, length)
                _ = listen(descriptor, 8)
                _ = getsockname(descriptor, $0, &length)
            }
            return Int(UInt16(bigEndian: pointer.pointee.sin_port))
        }
        try #require(port != 0)
    }

    deinit { close(fd) }
}
