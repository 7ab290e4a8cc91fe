import CCurl

/// A libcurl version and its TLS library, read once from `curl_version_info`: the version decides how a transfer
/// is restricted to its protocols, and `check`/`notify-test` print both.
public struct CurlLibrary: Sendable, Equatable {
    /// `0xXXYYZZ` for version XX.YY.ZZ, as `LIBCURL_VERSION_NUM`.
    public var versionNumber: Int
    /// "7.88.1".
    public var version: String
    /// The TLS library libcurl was built with ("OpenSSL/3.0.11"), or "none".
    public var tls: String

    public init(versionNumber: Int, version: String, tls: String) {
        self.versionNumber = versionNumber
        self.version = version
        self.tls = tls
    }

    /// libcurl 7.85 and later take CURLOPT_PROTOCOLS_STR; earlier ones know only the CURLOPT_PROTOCOLS bitmask.
    public var hasProtocolsString: Bool { versionNumber >= Int(ccurl_protocols_str_since()) }

    /// The libcurl this process loads for its transfers, or why it cannot.
    public static var runtime: Result<CurlLibrary, CurlUnavailable> { CurlAPI.shared.map(\.library) }

    /// "libcurl 7.88.1 (TLS: OpenSSL/3.0.11)", or why there is none; for `check` and `notify-test`.
    public static var runtimeSummary: String {
        switch runtime {
        case .success(let library): "libcurl \(library.version) (TLS: \(library.tls))"
        case .failure(let reason): "libcurl: \(reason)"
        }
    }
}

/// libcurl could not be loaded: every delivery then fails, retryably, with this text.
public struct CurlUnavailable: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// The loaded library's function table. Loaded on first use and kept for the life of the process (Swift runs a
/// global's initialiser once, thread-safely, which also makes curl_global_init run once before any other call).
struct CurlAPI: @unchecked Sendable {
    let table: ccurl_api
    let library: CurlLibrary

    static let shared: Result<CurlAPI, CurlUnavailable> = load()

    private static func load() -> Result<CurlAPI, CurlUnavailable> {
        guard let handle = ccurl_open("libcurl.so.4") else {
            let reason = ccurl_dlerror().map { String(cString: $0) } ?? "libcurl.so.4: cannot be loaded"
            return .failure(CurlUnavailable(description: "not installed (\(reason)); apt-get install libcurl4"))
        }
        var table = ccurl_api()
        if let missing = ccurl_resolve(handle, &table) {
            return .failure(CurlUnavailable(
                description: "libcurl.so.4 lacks \(String(cString: missing)); apt-get install libcurl4"))
        }
        let code = table.global_init!(ccurl_global_all())
        guard code == CURLE_OK else {
            return .failure(CurlUnavailable(description: "curl_global_init returned \(code.rawValue)"))
        }
        var library = CurlLibrary(versionNumber: 0, version: "unknown", tls: "none")
        if let info = ccurl_version_info(&table)?.pointee {
            library.versionNumber = Int(info.version_num)
            library.version = info.version.map { String(cString: $0) } ?? "unknown"
            library.tls = info.ssl_version.map { String(cString: $0) } ?? "none"
        }
        return .success(CurlAPI(table: table, library: library))
    }
}
