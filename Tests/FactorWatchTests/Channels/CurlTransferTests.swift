import Foundation
import Testing

@testable import FactorWatch

/// The transfer code against the libcurl it loads, built from curl.h: what the library says of itself against
/// curl-config, and both ways of restricting protocols against a real HTTP server.
struct CurlTransferTests {
    static let old = CurlLibrary(versionNumber: 0x074A00, version: "7.74.0", tls: "OpenSSL/1.1.1n")

    func curlConfig(_ argument: String) throws -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl-config", argument]
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func versionMatchesCurlConfig() throws {
        let library = try CurlLibrary.runtime.get()
        // curl-config (libcurl4-openssl-dev) reports the headers' version; Debian keeps library and headers equal.
        #expect("libcurl " + library.version == (try curlConfig("--version")))
        #expect(library.versionNumber == Int(try curlConfig("--vernum"), radix: 16))
        #expect(library.tls.hasPrefix("OpenSSL/"))
        #expect(CurlLibrary.runtimeSummary == "libcurl \(library.version) (TLS: \(library.tls))")
    }

    @Test func optionChosenByVersion() throws {
        let current = try CurlLibrary.runtime.get()
        #expect(current.hasProtocolsString)
        #expect(CurlTransfer.protocolRestriction(mail: false, library: current) == .names("http,https"))
        #expect(CurlTransfer.protocolRestriction(mail: true, library: current) == .names("smtp,smtps"))
        // CURLPROTO_HTTP | CURLPROTO_HTTPS = 1 | 2; CURLPROTO_SMTP | CURLPROTO_SMTPS = 1 << 16 | 1 << 17.
        #expect(CurlTransfer.protocolRestriction(mail: false, library: Self.old) == .mask(3))
        #expect(CurlTransfer.protocolRestriction(mail: true, library: Self.old) == .mask(0x30000))
        let boundary = CurlLibrary(versionNumber: 0x075500, version: "7.85.0", tls: "none")
        #expect(boundary.hasProtocolsString)
        #expect(!CurlLibrary(versionNumber: 0x0754FF, version: "7.84.255", tls: "none").hasProtocolsString)
    }

    /// One POST and one refused file:// URL, with the library's own version and with the pre-7.85 option.
    @Test(arguments: [false, true]) func postsAndRefusesOtherProtocols(asOldLibrary: Bool) throws {
        let dir = TemporaryDirectory("curl-transfer")
        let http = try ChannelTestServer(script: "http_server.py", folder: dir.path + "/requests")
        defer { http.stop() }
        let version = asOldLibrary ? Self.old : nil
        var request = CurlRequest(url: "http://127.0.0.1:\(http.port)/hook?x=1")
        request.method = "PUT"
        request.headers = ["Content-Type: text/plain"]
        request.body = Array("体 body\u{0}end".utf8)
        let result = CurlTransfer.perform(request, version: version)
        #expect(result.ok, "\(result.errorText)")
        #expect(result.responseCode == 200)
        let record = try #require(http.records().first)
        #expect(record["method"] as? String == "PUT")
        #expect(record["path"] as? String == "/hook?x=1")
        #expect(record["body"] as? String == "体 body\u{0}end")

        let local = dir.write("local.txt", "not for channels")
        let refused = CurlTransfer.perform(CurlRequest(url: "file://" + local, method: "GET"), version: version)
        #expect(!refused.ok)
        #expect(refused.code == 1, "CURLE_UNSUPPORTED_PROTOCOL, got \(refused.code): \(refused.errorText)")
        #expect(refused.responseBody.isEmpty)
    }
}
