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
    /// SMTP: once the whole message is sent, wait this long for the server's final reply instead of `timeout`
    /// (RFC 5321 §4.5.3.2.6 gives it 10 minutes: a server may store the message, then answer slowly).
    var finalReplyTimeout: Double?
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

    var ok: Bool { code == Int(CURLE_OK.rawValue) }
    var responseText: String { String(decoding: responseBody, as: UTF8.self) }
}

/// The state C callbacks see through their userdata pointer. A class so that one stable address is handed to libcurl
/// and retained for the length of the transfer; it never leaves the thread that runs the transfer.
private final class TransferBuffers {
    let upload: [UInt8]
    var uploadOffset = 0
    var received: [UInt8] = []
    let maxReceived: Int
    /// The two budgets of an SMTP submission with a final-reply timeout: until the message is sent, then after.
    var budget: (whole: Double, finalReply: Double)?
    let started = ContinuousClock.now
    var uploadedAt: ContinuousClock.Instant?
    /// Why the progress callback stopped the transfer.
    var abortReason: String?

    init(upload: [UInt8], maxReceived: Int) {
        self.upload = upload
        self.maxReceived = maxReceived
    }

    /// Whether the transfer is past its budget (then `abortReason` says which).
    func overBudget() -> Bool {
        guard let budget else { return false }
        let now = ContinuousClock.now
        if let uploadedAt {
            guard now - uploadedAt > .milliseconds(Int64(budget.finalReply * 1000)) else { return false }
            abortReason = "the server took the whole message but gave no final reply within "
                + formatDuration(seconds: budget.finalReply) + " (RFC 5321 final-reply timeout); it may have been "
                + "delivered: the retry carries the same Message-ID"
        } else {
            guard now - started > .milliseconds(Int64(budget.whole * 1000)) else { return false }
            abortReason = "timed out after " + formatDuration(seconds: budget.whole) + " before the message was sent"
        }
        return true
    }
}

private let progressCallback: curl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    return Unmanaged<TransferBuffers>.fromOpaque(userdata).takeUnretainedValue().overBudget() ? 1 : 0
}

private let readCallback: curl_write_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return ccurl_readfunc_abort() }
    let state = Unmanaged<TransferBuffers>.fromOpaque(userdata).takeUnretainedValue()
    let length = min(size * count, state.upload.count - state.uploadOffset)
    guard length > 0 else { return 0 }
    state.upload.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + state.uploadOffset, byteCount: length)
    }
    state.uploadOffset += length
    if state.uploadOffset == state.upload.count { state.uploadedAt = ContinuousClock.now }
    return length
}

private let writeCallback: curl_write_callback = { buffer, size, count, userdata in
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
    /// `version` overrides the loaded libcurl's own, for tests of the pre-7.85 path.
    static func perform(_ request: CurlRequest, version: CurlLibrary? = nil) -> CurlResult {
        let api: CurlAPI
        switch CurlAPI.shared {
        case .success(let loaded): api = loaded
        case .failure(let reason):
            return CurlResult(
                code: Int(CURLE_FAILED_INIT.rawValue), errorText: reason.description, responseCode: 0, responseBody: [])
        }
        var table = api.table
        guard let handle = table.easy_init!() else {
            return CurlResult(
                code: Int(CURLE_FAILED_INIT.rawValue), errorText: "libcurl could not create a handle",
                responseCode: 0, responseBody: [])
        }
        defer { table.easy_cleanup!(handle) }

        // Allocated memory, not an array's storage: libcurl keeps the pointer until the handle is gone.
        let errorSize = Int(ccurl_error_size())
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: errorSize)
        errorBuffer.initialize(repeating: 0, count: errorSize)
        defer { errorBuffer.deallocate() }

        var lists: [UnsafeMutablePointer<curl_slist>] = []
        defer { lists.forEach { table.slist_free_all!($0) } }
        func slist(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
            var list: UnsafeMutablePointer<curl_slist>?
            for item in items { list = table.slist_append!(list, item) }
            if let list { lists.append(list) }
            return list
        }

        let isMail = request.mailFrom != nil
        let buffers = TransferBuffers(upload: isMail ? request.body : [], maxReceived: request.maxResponseBytes)
        let userdata = Unmanaged.passUnretained(buffers).toOpaque()

        var setupError = CURLE_OK
        func set(_ result: CURLcode) { if setupError == CURLE_OK, result != CURLE_OK { setupError = result } }

        set(ccurl_setopt_pointer(&table, handle, CURLOPT_ERRORBUFFER, errorBuffer))
        set(ccurl_setopt_long(&table, handle, CURLOPT_NOSIGNAL, 1))
        set(ccurl_setopt_string(&table, handle, CURLOPT_URL, request.url))
        // A channel URL can only ever reach its own kind of server (no file://, no redirects elsewhere).
        set(restrictProtocols(&table, handle, mail: isMail, library: version ?? api.library))
        set(ccurl_setopt_string(&table, handle, CURLOPT_USERAGENT, "factorwatch/\(FactorWatchVersion.current)"))
        set(ccurl_setopt_long(&table, handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)))
        set(ccurl_setopt_long(&table, handle, CURLOPT_TIMEOUT_MS, milliseconds(request.timeout)))
        set(ccurl_setopt_long(&table, handle, CURLOPT_SSL_VERIFYPEER, request.verify ? 1 : 0))
        set(ccurl_setopt_long(&table, handle, CURLOPT_SSL_VERIFYHOST, request.verify ? 2 : 0))
        if let caFile = request.caFile { set(ccurl_setopt_string(&table, handle, CURLOPT_CAINFO, caFile)) }
        switch request.tls {
        case .scheme: break
        case .opportunistic: set(ccurl_setopt_long(&table, handle, CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue)))
        case .required: set(ccurl_setopt_long(&table, handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)))
        }
        if let username = request.username { set(ccurl_setopt_string(&table, handle, CURLOPT_USERNAME, username)) }
        if let password = request.password { set(ccurl_setopt_string(&table, handle, CURLOPT_PASSWORD, password)) }
        set(ccurl_setopt_callback(&table, handle, CURLOPT_WRITEFUNCTION, writeCallback))
        set(ccurl_setopt_pointer(&table, handle, CURLOPT_WRITEDATA, userdata))

        if let mailFrom = request.mailFrom {
            setMailOptions(request, mailFrom: mailFrom, table: table, handle: handle, buffers: buffers,
                           userdata: userdata, set: set, slist: slist)
        } else {
            setHTTPOptions(request, table: table, handle: handle, errorBuffer: errorBuffer, set: set, slist: slist)
        }

        let code: CURLcode
        if setupError != CURLE_OK {
            code = setupError
        } else {
            code = withExtendedLifetime(buffers) { table.easy_perform!(handle) }
        }
        return result(code, table: table, handle: handle, errorBuffer: errorBuffer, buffers: buffers)
    }

    /// The outcome: libcurl's code, its error text (or the callback's reason for aborting), the HTTP status and
    /// what the server answered.
    private static func result(
        _ code: CURLcode, table api: ccurl_api, handle: UnsafeMutableRawPointer,
        errorBuffer: UnsafeMutablePointer<CChar>, buffers: TransferBuffers
    ) -> CurlResult {
        var table = api
        var status = 0
        _ = ccurl_getinfo_long(&table, handle, CURLINFO_RESPONSE_CODE, &status)
        var text = String(cString: errorBuffer).trimmed()
        if code == CURLE_ABORTED_BY_CALLBACK, let reason = buffers.abortReason { text = reason }
        if text.isEmpty, code != CURLE_OK {
            text = table.easy_strerror!(code).map { String(cString: $0) } ?? "curl error \(code.rawValue)"
        }
        return CurlResult(
            code: Int(code.rawValue), errorText: text, responseCode: status,
            responseBody: buffers.received)
    }

    /// SMTP: the envelope, the message as an upload, and the timeouts for the server's replies.
    private static func setMailOptions(
        _ request: CurlRequest, mailFrom: String, table api: ccurl_api, handle: UnsafeMutableRawPointer,
        buffers: TransferBuffers, userdata: UnsafeMutableRawPointer, set: (CURLcode) -> Void,
        slist: ([String]) -> UnsafeMutablePointer<curl_slist>?
    ) {
        var table = api
        set(ccurl_setopt_string(&table, handle, CURLOPT_MAIL_FROM, mailFrom))
        set(ccurl_setopt_slist(&table, handle, CURLOPT_MAIL_RCPT, slist(request.recipients)))
        set(ccurl_setopt_long(&table, handle, CURLOPT_UPLOAD, 1))
        set(ccurl_setopt_off(&table, handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.body.count)))
        set(ccurl_setopt_callback(&table, handle, CURLOPT_READFUNCTION, readCallback))
        set(ccurl_setopt_pointer(&table, handle, CURLOPT_READDATA, userdata))
        // Without this a server that stalls after the message waits out the total timeout only once it answers.
        var responseTimeout = max(1, Int(request.timeout.rounded(.up)))
        if let finalReply = request.finalReplyTimeout {
            // The progress callback keeps `timeout` until the message is sent, then the final-reply budget.
            buffers.budget = (request.timeout, finalReply)
            responseTimeout = max(1, Int(max(finalReply, request.timeout).rounded(.up)))
            set(ccurl_setopt_long(&table, handle, CURLOPT_TIMEOUT_MS, 0))
            set(ccurl_setopt_xferinfo(&table, handle, progressCallback))
            set(ccurl_setopt_pointer(&table, handle, CURLOPT_XFERINFODATA, userdata))
            set(ccurl_setopt_long(&table, handle, CURLOPT_NOPROGRESS, 0))
        }
        set(ccurl_setopt_long(&table, handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, responseTimeout))
    }

    /// HTTP: basic authentication, the method and body, and the headers.
    private static func setHTTPOptions(
        _ request: CurlRequest, table api: ccurl_api, handle: UnsafeMutableRawPointer,
        errorBuffer: UnsafeMutablePointer<CChar>, set: (CURLcode) -> Void,
        slist: ([String]) -> UnsafeMutablePointer<curl_slist>?
    ) {
        var table = api
        if request.username != nil { set(ccurl_setopt_long(&table, handle, CURLOPT_HTTPAUTH, ccurl_auth_basic())) }
        let method = request.method?.uppercased() ?? "POST"
        if method == "GET" {
            set(ccurl_setopt_long(&table, handle, CURLOPT_HTTPGET, 1))
        } else {
            // The size first: COPYPOSTFIELDS copies that many bytes (and bodies may hold NULs).
            set(ccurl_setopt_off(&table, handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            set(
                request.body.withUnsafeBufferPointer { bytes in
                    bytes.withMemoryRebound(to: CChar.self) {
                        ccurl_setopt_pointer(
                            &table, handle, CURLOPT_COPYPOSTFIELDS,
                            UnsafeMutableRawPointer(
                                mutating: $0.baseAddress ?? UnsafePointer(errorBuffer)))
                    }
                })
            if method != "POST" { set(ccurl_setopt_string(&table, handle, CURLOPT_CUSTOMREQUEST, method)) }
        }
        set(ccurl_setopt_slist(&table, handle, CURLOPT_HTTPHEADER, slist(request.headers + ["Expect:"])))
    }

    /// How a transfer is kept to its own protocols: CURLOPT_PROTOCOLS_STR from libcurl 7.85 on, the
    /// CURLOPT_PROTOCOLS bitmask before it (7.85 and later still take the bitmask, deprecated).
    enum ProtocolRestriction: Equatable {
        case names(String)
        case mask(Int)
    }

    static func protocolRestriction(mail: Bool, library: CurlLibrary) -> ProtocolRestriction {
        if library.hasProtocolsString { return .names(mail ? "smtp,smtps" : "http,https") }
        return .mask(Int(ccurl_protocols_mask(mail ? 1 : 0)))
    }

    private static func restrictProtocols(_ table: UnsafePointer<ccurl_api>, _ handle: UnsafeMutableRawPointer,
                                          mail: Bool, library: CurlLibrary) -> CURLcode {
        switch protocolRestriction(mail: mail, library: library) {
        case .names(let names): ccurl_setopt_string(table, handle, CURLOPT_PROTOCOLS_STR, names)
        case .mask(let mask): ccurl_setopt_protocols_mask(table, handle, mask)
        }
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int((seconds * 1000).rounded(.up))
    }
}
