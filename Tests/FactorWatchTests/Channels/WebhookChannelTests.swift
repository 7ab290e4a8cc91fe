import Foundation
import Testing

@testable import FactorWatch

/// Each test runs a real HTTP server (Python's http.server) and reads back the requests it recorded.
struct WebhookChannelTests {
    let token = "T0KEN-abcdef123456"
    let fixedNow = Date(timeIntervalSince1970: 1_795_000_000.123)

    /// A server whose answers per path are given as `path: (status, body)`.
    func server(_ dir: TemporaryDirectory, routes: [String: (Int, String)] = [:]) throws -> ChannelTestServer {
        var table: [String: Any] = [:]
        for (path, answer) in routes { table[path] = ["status": answer.0, "body": answer.1] }
        let routesFile = dir.file("routes.json")
        try JSONSerialization.data(withJSONObject: table).write(to: URL(fileURLWithPath: routesFile))
        return try ChannelTestServer(
            script: "http_server.py", folder: dir.path + "/requests",
            arguments: ["--routes", routesFile])
    }

    func webhook(_ settings: WebhookSettings) -> WebhookChannel {
        WebhookChannel(name: "hook", settings: settings, zone: shanghai, now: { [fixedNow] in fixedNow })
    }

    func received(_ server: ChannelTestServer) throws -> (record: [String: Any], json: Any?) {
        let record = try #require(server.records().first)
        let body = (record["body"] as? String ?? "").data(using: .utf8)!
        return (record, try? JSONSerialization.jsonObject(with: body))
    }

    func header(_ record: [String: Any], _ name: String) -> String? {
        (record["headers"] as? [String: String])?.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    @Test func slackPostsTextAsJSON() throws {
        let dir = TemporaryDirectory("hook-slack")
        let http = try server(dir)
        defer { http.stop() }
        let hook = webhook(WebhookSettings(url: "http://127.0.0.1:\(http.port)/services/\(token)", preset: .slack))
        #expect(hook.deliver(channelSampleDigest()) == .sent)
        let (record, json) = try received(http)
        #expect(record["method"] as? String == "POST")
        #expect(record["path"] as? String == "/services/\(token)")
        #expect(header(record, "Content-Type")?.hasPrefix("application/json") == true)
        let text = try #require((json as? [String: Any])?["text"] as? String)
        #expect(text.hasPrefix("[CRITICAL] 1 firing, 1 resolved — quant-01\n\n"))
        #expect(text.contains("因子数据缺失"))
        #expect(text == hook.render(channelSampleDigest()).body)
    }

    @Test func wecomAndFeishuShapes() throws {
        let dir = TemporaryDirectory("hook-chat")
        let http = try server(dir)
        defer { http.stop() }
        let base = "http://127.0.0.1:\(http.port)"
        #expect(webhook(WebhookSettings(url: base + "/wecom", preset: .wecom)).deliver(channelSampleDigest()) == .sent)
        #expect(
            webhook(WebhookSettings(url: base + "/feishu", preset: .feishu)).deliver(channelSampleDigest()) == .sent)
        let bodies = http.records().map {
            try? JSONSerialization.jsonObject(with: ($0["body"] as! String).data(using: .utf8)!)
        }
        let wecom = try #require(bodies.first as? [String: Any])
        #expect(wecom["msgtype"] as? String == "text")
        #expect(((wecom["text"] as? [String: Any])?["content"] as? String)?.contains("因子数据缺失") == true)
        let feishu = try #require(bodies.last as? [String: Any])
        #expect(feishu["msg_type"] as? String == "text")
        #expect(((feishu["content"] as? [String: Any])?["text"] as? String)?.contains("因子数据缺失") == true)
    }

    @Test func dingTalkSignsTheRequestAndItsErrorCodeIsAFailure() throws {
        let dir = TemporaryDirectory("hook-dingtalk")
        let http = try server(dir, routes: ["/robot/fail": (200, #"{"errcode":310000,"errmsg":"sign not match"}"#)])
        defer { http.stop() }
        let secret = "SEC0123456789abcdef"
        let settings = WebhookSettings(
            url: "http://127.0.0.1:\(http.port)/robot/send?access_token=\(token)",
            preset: .dingtalk, secret: Secret(secret))
        #expect(webhook(settings).deliver(channelSampleDigest()) == .sent)
        let (record, json) = try received(http)
        let content = ((json as? [String: Any])?["text"] as? [String: Any])?["content"] as? String
        #expect((json as? [String: Any])?["msgtype"] as? String == "text")
        #expect(content?.contains("因子数据缺失") == true)

        let query = URLComponents(string: record["path"] as! String)!.queryItems ?? []
        let values = Dictionary(query.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(values["access_token"] == token)
        #expect(values["timestamp"] == "1795000000123")
        // The signature as Python's hmac module computes it.
        let expected = try channelPython(
            """
            import base64, hashlib, hmac, sys
            s = sys.argv[1].encode()
            print(base64.b64encode(hmac.new(s, sys.argv[2].encode() + b"\\n" + s, hashlib.sha256).digest()).decode())
            """, arguments: [secret, "1795000000123"])
        #expect(values["sign"] == expected)

        var failing = settings
        failing.url = "http://127.0.0.1:\(http.port)/robot/fail?access_token=\(token)"
        let result = webhook(failing).deliver(channelSampleDigest())
        #expect(result.isRetryable == false)
        let message = result.failureMessage ?? ""
        #expect(message.contains("errcode 310000: sign not match"))
        #expect(!message.contains(token))
        #expect(!message.contains(secret))
    }

    @Test func feishuNonZeroCodeIsAFailure() throws {
        let dir = TemporaryDirectory("hook-feishu")
        let http = try server(dir, routes: ["/hook": (200, #"{"code":19021,"msg":"sign match fail"}"#)])
        defer { http.stop() }
        let result = webhook(
            WebhookSettings(
                url: "http://127.0.0.1:\(http.port)/hook", preset: .feishu,
                secret: Secret("feishu-secret"))
        ).deliver(channelSampleDigest())
        #expect(result.failureMessage?.contains("code 19021: sign match fail") == true)
        #expect(result.isRetryable == false)
        let (_, json) = try received(http)
        #expect((json as? [String: Any])?["timestamp"] as? String == "1795000000")
        // Feishu's signature: HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message, as Python computes it.
        let expected = try channelPython(
            """
            import base64, hashlib, hmac, sys
            key = (sys.argv[1] + "\\n" + sys.argv[2]).encode()
            print(base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode())
            """, arguments: ["1795000000", "feishu-secret"])
        #expect((json as? [String: Any])?["sign"] as? String == expected)
    }

    @Test func alertmanagerGetsAnAlertArrayOnItsV2Path() throws {
        let dir = TemporaryDirectory("hook-am")
        let http = try server(dir)
        defer { http.stop() }
        let hook = webhook(
            WebhookSettings(
                url: "http://127.0.0.1:\(http.port)/", preset: .alertmanager,
                generatorURL: "http://quant-01/factorwatch"))
        #expect(hook.deliver(channelSampleDigest()) == .sent)
        let (record, json) = try received(http)
        #expect(record["path"] as? String == "/api/v2/alerts")
        let alerts = try #require(json as? [[String: Any]])
        #expect(alerts.count == 2)
        let firing = alerts[0]
        let resolved = alerts[1]
        #expect(
            firing["labels"] as? [String: String] == [
                "alertname": "FactorDataStale", "severity": "critical",
                "dir": "data/barra_factors/by_date", "date": "20261119",
            ])
        #expect((firing["annotations"] as? [String: String])?["runbook"] == "https://wiki.example.com/stale")
        #expect((firing["annotations"] as? [String: String])?["summary"]?.contains("因子数据缺失") == true)
        #expect(firing["startsAt"] as? String == "2026-11-23T18:30:00+00:00")
        #expect(firing["endsAt"] == nil)
        #expect(firing["generatorURL"] as? String == "http://quant-01/factorwatch")
        #expect(resolved["endsAt"] as? String == "2026-11-23T18:40:00+00:00")
    }

    @Test func twilioSendsAFormWithBasicAuthAndACutBody() throws {
        let dir = TemporaryDirectory("hook-twilio")
        let http = try server(dir, routes: ["/Accounts/AC1/Messages.json": (201, #"{"sid":"SM1"}"#)])
        defer { http.stop() }
        let password = "twilio-auth-token-42"
        let hook = webhook(
            WebhookSettings(
                url: "http://127.0.0.1:\(http.port)/Accounts/AC1/Messages.json",
                preset: .twilio, username: "AC1", password: Secret(password),
                form: [
                    "From": "+1234567890", "To": "+0987654321",
                    "Body": "{{ .Summary }}",
                ], maxLength: 40))
        #expect(hook.deliver(channelSampleDigest()) == .sent)
        let (record, _) = try received(http)
        #expect(header(record, "Authorization") == "Basic " + Data("AC1:\(password)".utf8).base64EncodedString())
        #expect(header(record, "Content-Type") == "application/x-www-form-urlencoded")
        let components = URLComponents(
            string: "http://x/?"
                + (record["body"] as! String)
                .replacingOccurrences(of: "+", with: "%20"))!
        let fields = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { a, _ in a })
        #expect(fields["From"] == "+1234567890")
        #expect(fields["To"] == "+0987654321")
        let body = try #require(fields["Body"])
        #expect(body.count == 40)
        #expect(body.hasSuffix("…"))
        #expect(body == hook.render(channelSampleDigest()).body)

        // A body of Chinese text is cut by characters, never inside one.
        let chinese = String(repeating: "因子数据缺失", count: 40)
        let short = webhook(WebhookSettings(url: "http://x/", preset: .twilio, form: ["Body": "{{ .Summary }}"]))
            .render(channelSampleDigest(summary: chinese)).body
        #expect(short.count == 160)
        #expect(String(decoding: Array(short.utf8), as: UTF8.self) == short)
    }

    @Test func serverErrorsAndRateLimitsAreRetryableOtherClientErrorsAreNot() throws {
        let dir = TemporaryDirectory("hook-status")
        let http = try server(
            dir,
            routes: [
                "/down": (503, "upstream unavailable"), "/slow": (429, "slow down"),
                "/gone": (404, "no such hook"),
            ])
        defer { http.stop() }
        let base = "http://127.0.0.1:\(http.port)"
        let down = webhook(WebhookSettings(url: base + "/down", preset: .slack)).deliver(channelSampleDigest())
        #expect(down.isRetryable == true)
        #expect(down.failureMessage?.contains("HTTP 503: upstream unavailable") == true)
        #expect(
            webhook(WebhookSettings(url: base + "/slow", preset: .slack)).deliver(channelSampleDigest())
                .isRetryable == true)
        let gone = webhook(WebhookSettings(url: base + "/gone", preset: .slack)).deliver(channelSampleDigest())
        #expect(gone.isRetryable == false)
        #expect(gone.failureMessage?.contains("HTTP 404") == true)
    }

    @Test func refusedConnectionIsRetryableAndHidesTheToken() {
        let port = ChannelTestServer.closedPort()
        let password = "hunter2-password"
        let hook = webhook(
            WebhookSettings(
                url: "http://user:\(password)@127.0.0.1:\(port)/hooks/\(token)",
                preset: .slack, username: "robot-user", password: Secret(password)))
        let result = hook.deliver(channelSampleDigest())
        #expect(result.isRetryable == true)
        let message = result.failureMessage ?? ""
        #expect(message.contains("curl error 7"))
        #expect(message.contains("connection refused"))
        for secret in [token, password] {
            #expect(!message.contains(secret))
            #expect(!hook.description.contains(secret))
            #expect(!hook.render(channelSampleDigest()).body.contains(secret))
        }
        #expect("\(Secret(password))" == "<redacted>")
    }

    @Test func httpsVerifiesTheCertificateUnlessTrustedOrSkipped() throws {
        let dir = TemporaryDirectory("hook-https")
        let (cert, key) = try makeSelfSignedCertificate(in: dir.path)
        let https = try ChannelTestServer(
            script: "http_server.py", folder: dir.path + "/requests",
            arguments: ["--cert", cert, "--key", key])
        defer { https.stop() }
        let url = "https://127.0.0.1:\(https.port)/hook"
        let untrusted = webhook(WebhookSettings(url: url, preset: .slack)).deliver(channelSampleDigest())
        #expect(untrusted.isRetryable == false)
        #expect(untrusted.failureMessage?.contains("certificate") == true)
        #expect(https.records().isEmpty)
        #expect(
            webhook(WebhookSettings(url: url, preset: .slack, caFile: cert)).deliver(channelSampleDigest()) == .sent)
        #expect(
            webhook(WebhookSettings(url: url, preset: .slack, verify: false)).deliver(channelSampleDigest()) == .sent)
        #expect(https.records().count == 2)
    }

    @Test func slowServerTimesOutAsRetryable() throws {
        let dir = TemporaryDirectory("hook-slow")
        let routes = dir.write("slow.json", #"{"/slow": {"status": 200, "delay": 4}}"#)
        let http = try ChannelTestServer(script: "http_server.py", folder: dir.path + "/requests",
                                         arguments: ["--routes", routes])
        defer { http.stop() }
        let started = Date()
        let result = webhook(WebhookSettings(url: "http://127.0.0.1:\(http.port)/slow", preset: .slack, timeout: 1))
            .deliver(channelSampleDigest())
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(result.isRetryable == true)
        #expect(result.failureMessage?.contains("curl error 28") == true)
        #expect(result.failureMessage?.contains("timeout") == true)
    }

    @Test func onlyHTTPURLsAreFollowed() {
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/x", "smtp://127.0.0.1/"] {
            let result = webhook(WebhookSettings(url: url, preset: .slack)).deliver(channelSampleDigest())
            #expect(result.isRetryable == false, "\(url)")
            #expect(result.failureMessage?.contains("check the url") == true, "\(url)")
        }
    }

    @Test func unresolvableHostIsRetryableWithADNSHint() {
        let result = webhook(WebhookSettings(url: "http://no-such-host.invalid/hook", preset: .slack, timeout: 5))
            .deliver(channelSampleDigest())
        #expect(result.isRetryable == true)
        #expect(result.failureMessage?.contains("DNS") == true)
    }

    @Test func plainWebhookRendersAJSONTemplateWithEscapedValues() throws {
        let dir = TemporaryDirectory("hook-none")
        let http = try server(dir)
        defer { http.stop() }
        let template = #"{"title": "{{ .Subject }}", "message": "{{ .Summary }}", "kept": "{{ .Other }}"}"#
        let digest = channelSampleDigest(summary: "quote \" and\nnewline")
        #expect(
            webhook(
                WebhookSettings(
                    url: "http://127.0.0.1:\(http.port)/t", headers: ["X-Team": "quant"],
                    bodyTemplate: template)
            ).deliver(digest) == .sent)
        #expect(
            webhook(WebhookSettings(url: "http://127.0.0.1:\(http.port)/g", method: "PUT")).deliver(digest) == .sent)
        let records = http.records()
        let templated = try #require(
            try JSONSerialization.jsonObject(
                with: (records[0]["body"] as! String).data(using: .utf8)!) as? [String: String])
        #expect(templated["title"] == "[CRITICAL] 1 firing, 1 resolved — quant-01")
        #expect(templated["message"]?.contains("quote \" and\nnewline") == true)
        #expect(templated["kept"] == "{{ .Other }}")
        #expect(header(records[0], "X-Team") == "quant")
        #expect(records[1]["method"] as? String == "PUT")
        let generic = try #require(
            try JSONSerialization.jsonObject(
                with: (records[1]["body"] as! String).data(using: .utf8)!) as? [String: Any])
        #expect((generic["alerts"] as? [[String: Any]])?.count == 2)
        #expect(generic["host"] as? String == "quant-01")
    }
}

/// Runs a Python snippet and returns its standard output, trimmed.
func channelPython(_ code: String, arguments: [String] = []) throws -> String {
    let process = Process()
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", code] + arguments
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
