import CCurl

/// Turns a failed libcurl transfer into a message a person can act on: libcurl's own words verbatim, then a short
/// hint, with whether trying again later could help.
enum CurlFailure {
    static func delivery(_ result: CurlResult, target: String, secrets: [String]) -> Delivery {
        let (hint, retryable) = classify(result)
        var message = "\(target): \(result.errorText) (curl error \(result.code))"
        if !hint.isEmpty { message += ": " + hint }
        return .failed(redacting(message, secrets), retryable: retryable)
    }

    /// A hint naming the likely cause, and whether the same request could succeed later.
    static func classify(_ result: CurlResult) -> (hint: String, retryable: Bool) {
        switch CURLcode(UInt32(truncatingIfNeeded: result.code)) {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return ("DNS lookup failed; check the host name and the resolver", true)
        case CURLE_COULDNT_CONNECT:
            return ("connection refused or host unreachable; is the server up and the port right?", true)
        case CURLE_OPERATION_TIMEDOUT:
            return ("timeout; the server did not answer in time", true)
        case CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR:
            return ("authentication failed; check the username and password", false)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return (
                "TLS certificate verification failed; set ca_file to the issuing certificate, "
                    + "or verify: false to skip the check", false
            )
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER:
            return ("TLS handshake failed; check the port and the tls setting", true)
        case CURLE_USE_SSL_FAILED:
            return ("the server does not offer STARTTLS; use tls: none only on a trusted network", false)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION,
            CURLE_NOT_BUILT_IN, CURLE_SETOPT_OPTION_SYNTAX:
            return ("check the url", false)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_WEIRD_SERVER_REPLY, CURLE_REMOTE_ACCESS_DENIED:
            // SMTP refusals surface as these, with the reply code kept: 5xx is final, 4xx is temporary.
            if result.responseCode >= 500 {
                return ("the server refused the message (reply \(result.responseCode))", false)
            }
            if result.responseCode >= 400 {
                return ("the server deferred the message (reply \(result.responseCode))", true)
            }
            return ("the connection failed mid-transfer", true)
        case CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return ("the connection failed mid-transfer", true)
        default:
            return ("", true)
        }
    }
}
