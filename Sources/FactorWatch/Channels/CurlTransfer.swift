import CCurl

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif


/// One libcurl transfer: an HTTP request, or an SMTP submission (`mailFrom` + `recipients` + an uploaded message).
struct CurlRequest: Sendable {
    enum TLS: Sendable {
        /// As the URL scheme says (https, smtps: TLS; http, smtp: none).
        case scheme
        /// STARTTLS when offered, plain otherwise.
        case opportunistic
        /// STARTTLS or fail.
        case required
    }

    var url: String
    /// HTTP only; nil for SMTP.
    var method: String?
    var headers: [String] = []
    /// The HTTP request body, or the whole message for SMTP.
    var body: [UInt8] = []
    var username: String?
    var password: String?
    var tls: TLS = .scheme
    var verify = true
    var caFile: String?
    var connectTimeout: Double = 10
    var timeout: Double = 30
    var mailFrom: String?
    var recipients: [String] = []
    /// Received bodies past this many bytes are cut (error pages can be large).
    var maxResponseBytes = 64 * 1024
}

/// What libcurl made of a transfer.
struct CurlResult: Sendable {
    /// `CURLE_OK` (0) when the transfer itself worked; an HTTP error status is still 0 here.
    var code: Int
    /// libcurl's own words: the error buffer, or `curl_easy_strerror` when the buffer stayed empty.
    var errorText: String
    /// HTTP status, or the last SMTP reply code.
    var responseCode: Int
    var responseBody: [UInt8]

    var ok: Bool { code == Int(CCURLE_OK.rawValue) }
    var responseText: String { String(decoding: responseBody, as: UTF8.self) }
}

/// The state C callbacks see through their userdata pointer. A class so that one stable address is handed to libcurl
/// and retained for the length of the transfer; it never leaves the thread that runs the transfer.
private final class TransferBuffers {
    let upload: [UInt8]
    var uploadOffset = 0
    var received: [UInt8] = []
    let maxReceived: Int

    init(upload: [UInt8], maxReceived: Int) {
        self.upload = upload
        self.maxReceived = maxReceived
    }
}

private let readCallback: ccurl_data_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return CCURL_READFUNC_ABORT }
    let state = Unmanaged<TransferBuffers>.fromOpaque(userdata).takeUnretainedValue()
    let length = min(size * count, state.upload.count - state.uploadOffset)
    guard length > 0 else { return 0 }
    state.upload.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + state.uploadOffset, byteCount: length)
    }
    state.uploadOffset += length
    return length
}

private let writeCallback: ccurl_data_callback = { buffer, size, count, userdata in
    let length = size * count
    guard let buffer, let userdata else { return length }
    let state = Unmanaged<TransferBuffers>.fromOpaque(userdata).takeUnretainedValue()
    let room = max(0, state.maxReceived - state.received.count)
    let kept = min(room, length)
    if kept > 0 {
        state.received.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: kept))
    }
    return length
}

/// Runs transfers on a fresh easy handle each time: channels are called rarely and must not share state.
enum CurlTransfer {
    static func perform(_ request: CurlRequest) -> CurlResult {
        if let unavailable = loadLibrary() {
            return CurlResult(
                code: Int(CCURLE_FAILED_INIT.rawValue), errorText: unavailable, responseCode: 0, responseBody: [])
        }
        guard let handle = ccurl_easy_init() else {
            return CurlResult(
                code: Int(CCURLE_FAILED_INIT.rawValue), errorText: "libcurl could not create a handle",
                responseCode: 0, responseBody: [])
        }
        defer { ccurl_easy_cleanup(handle) }

        // Allocated memory, not an array's storage: libcurl keeps the pointer until the handle is gone.
        let errorSize = Int(CCURL_ERROR_SIZE)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: errorSize)
        errorBuffer.initialize(repeating: 0, count: errorSize)
        defer { errorBuffer.deallocate() }

        var lists: [OpaquePointer] = []
        defer { lists.forEach { ccurl_slist_free_all($0) } }
        func slist(_ items: [String]) -> OpaquePointer? {
            var list: OpaquePointer?
            for item in items { list = ccurl_slist_append(list, item) }
            if let list { lists.append(list) }
            return list
        }

        let isMail = request.mailFrom != nil
        let buffers = TransferBuffers(upload: isMail ? request.body : [], maxReceived: request.maxResponseBytes)
        let userdata = Unmanaged.passUnretained(buffers).toOpaque()

        var setupError = CCURLE_OK
        func set(_ result: ccurl_code) { if setupError == CCURLE_OK, result != CCURLE_OK { setupError = result } }

        set(ccurl_setopt_pointer(handle, CCURLOPT_ERRORBUFFER, errorBuffer))
        set(ccurl_setopt_long(handle, CCURLOPT_NOSIGNAL, 1))
        set(ccurl_setopt_string(handle, CCURLOPT_URL, request.url))
        // A channel URL can only ever reach its own kind of server (no file://, no redirects elsewhere).
        set(ccurl_setopt_string(handle, CCURLOPT_PROTOCOLS_STR, isMail ? "smtp,smtps" : "http,https"))
        set(ccurl_setopt_string(handle, CCURLOPT_USERAGENT, "factorwatch/\(FactorWatchVersion.current)"))
        set(ccurl_setopt_long(handle, CCURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)))
        set(ccurl_setopt_long(handle, CCURLOPT_TIMEOUT_MS, milliseconds(request.timeout)))
        set(ccurl_setopt_long(handle, CCURLOPT_SSL_VERIFYPEER, request.verify ? 1 : 0))
        set(ccurl_setopt_long(handle, CCURLOPT_SSL_VERIFYHOST, request.verify ? 2 : 0))
        if let caFile = request.caFile { set(ccurl_setopt_string(handle, CCURLOPT_CAINFO, caFile)) }
        switch request.tls {
        case .scheme: break
        case .opportunistic: set(ccurl_setopt_long(handle, CCURLOPT_USE_SSL, Int(CCURLUSESSL_TRY.rawValue)))
        case .required: set(ccurl_setopt_long(handle, CCURLOPT_USE_SSL, Int(CCURLUSESSL_ALL.rawValue)))
        }
        if let username = request.username { set(ccurl_setopt_string(handle, CCURLOPT_USERNAME, username)) }
        if let password = request.password { set(ccurl_setopt_string(handle, CCURLOPT_PASSWORD, password)) }
        set(ccurl_setopt_callback(handle, CCURLOPT_WRITEFUNCTION, writeCallback))
        set(ccurl_setopt_pointer(handle, CCURLOPT_WRITEDATA, userdata))

        if let mailFrom = request.mailFrom {
            set(ccurl_setopt_string(handle, CCURLOPT_MAIL_FROM, mailFrom))
            set(ccurl_setopt_slist(handle, CCURLOPT_MAIL_RCPT, slist(request.recipients)))
            set(ccurl_setopt_long(handle, CCURLOPT_UPLOAD, 1))
            set(ccurl_setopt_off(handle, CCURLOPT_INFILESIZE_LARGE, ccurl_off_t(request.body.count)))
            set(ccurl_setopt_callback(handle, CCURLOPT_READFUNCTION, readCallback))
            set(ccurl_setopt_pointer(handle, CCURLOPT_READDATA, userdata))
            // Without this a server that stalls after the message waits out the total timeout only once it answers.
            let responseTimeout = max(1, Int(request.timeout.rounded(.up)))
            set(ccurl_setopt_long(handle, CCURLOPT_SERVER_RESPONSE_TIMEOUT, responseTimeout))
        } else {
            if request.username != nil { set(ccurl_setopt_long(handle, CCURLOPT_HTTPAUTH, CCURLAUTH_BASIC)) }
            let method = request.method?.uppercased() ?? "POST"
            if method == "GET" {
                set(ccurl_setopt_long(handle, CCURLOPT_HTTPGET, 1))
            } else {
                // The size first: COPYPOSTFIELDS copies that many bytes (and bodies may hold NULs).
                set(ccurl_setopt_off(handle, CCURLOPT_POSTFIELDSIZE_LARGE, ccurl_off_t(request.body.count)))
                set(
                    request.body.withUnsafeBufferPointer { bytes in
                        bytes.withMemoryRebound(to: CChar.self) {
                            ccurl_setopt_pointer(
                                handle, CCURLOPT_COPYPOSTFIELDS,
                                UnsafeMutableRawPointer(
                                    mutating: $0.baseAddress ?? UnsafePointer(errorBuffer)))
                        }
                    })
                if method != "POST" { set(ccurl_setopt_string(handle, CCURLOPT_CUSTOMREQUEST, method)) }
            }
            set(ccurl_setopt_slist(handle, CCURLOPT_HTTPHEADER, slist(request.headers + ["Expect:"])))
        }

        let code: ccurl_code
        if setupError != CCURLE_OK {
            code = setupError
        } else {
            code = withExtendedLifetime(buffers) { ccurl_easy_perform(handle) }
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CCURLINFO_RESPONSE_CODE, &status)
        var text = String(cString: errorBuffer).trimmed()
        if text.isEmpty, code != CCURLE_OK { text = String(cString: ccurl_easy_strerror(code)) }
        return CurlResult(
            code: Int(code.rawValue), errorText: text, responseCode: status,
            responseBody: buffers.received)
    }

    /// Loads libcurl on the first transfer (later calls only read the outcome). Nil when it is usable, else why not:
    /// a missing library fails the delivery, retryably, with an install hint.
    private static func loadLibrary() -> String? {
        let capacity = 512
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { error in
            error.initialize(repeating: 0)
            let status = ccurl_load(error.baseAddress, capacity)
            let reason = String(cString: error.baseAddress!)
            switch ccurl_load_status(UInt32(truncatingIfNeeded: status)) {
            case CCURL_LOADED: return nil
            case CCURL_LOAD_MISSING: return "libcurl is not installed (\(reason)); apt-get install libcurl4"
            case CCURL_LOAD_INCOMPLETE: return "libcurl.so.4 is not usable (\(reason)); apt-get install libcurl4"
            default: return "libcurl could not be initialised (\(reason))"
            }
        }
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int((seconds * 1000).rounded(.up))
    }
}
