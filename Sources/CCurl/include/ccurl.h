#ifndef CCURL_H
#define CCURL_H

// libcurl, loaded with dlopen on the first transfer rather than linked: linking it pulls some 25 shared libraries
// (TLS, Kerberos, LDAP, SSH, ...) into every command, though only channel deliveries use it.
//
// No curl header is needed to build: the few types and constants used are declared here with libcurl's documented
// values, which are fixed ABI (libcurl.so.4 has kept them since 7.16). When curl's headers are present, ccurl.c
// checks every value below against them at compile time.

#include <stddef.h>
#include <stdint.h>

/// A libcurl easy handle (`CURL *`).
typedef struct ccurl_handle ccurl_handle;
/// A libcurl string list (`struct curl_slist *`).
typedef struct ccurl_slist ccurl_slist;
/// `curl_off_t`: 64 bits on every platform libcurl.so.4 ships for.
typedef int64_t ccurl_off_t;

/// `CURLcode`: the values CurlTransfer and CurlFailure look at.
typedef enum ccurl_code {
    CCURLE_OK = 0,
    CCURLE_UNSUPPORTED_PROTOCOL = 1,
    CCURLE_FAILED_INIT = 2,
    CCURLE_URL_MALFORMAT = 3,
    CCURLE_NOT_BUILT_IN = 4,
    CCURLE_COULDNT_RESOLVE_PROXY = 5,
    CCURLE_COULDNT_RESOLVE_HOST = 6,
    CCURLE_COULDNT_CONNECT = 7,
    CCURLE_WEIRD_SERVER_REPLY = 8,
    CCURLE_REMOTE_ACCESS_DENIED = 9,
    CCURLE_PARTIAL_FILE = 18,
    CCURLE_OPERATION_TIMEDOUT = 28,
    CCURLE_SSL_CONNECT_ERROR = 35,
    CCURLE_BAD_FUNCTION_ARGUMENT = 43,
    CCURLE_UNKNOWN_OPTION = 48,
    CCURLE_SETOPT_OPTION_SYNTAX = 49,
    CCURLE_GOT_NOTHING = 52,
    CCURLE_SEND_ERROR = 55,
    CCURLE_RECV_ERROR = 56,
    CCURLE_SSL_CERTPROBLEM = 58,
    CCURLE_SSL_CIPHER = 59,
    CCURLE_PEER_FAILED_VERIFICATION = 60,
    CCURLE_USE_SSL_FAILED = 64,
    CCURLE_LOGIN_DENIED = 67,
    CCURLE_SSL_CACERT_BADFILE = 77,
    CCURLE_SSL_ISSUER_ERROR = 83,
    CCURLE_SSL_PINNEDPUBKEYNOTMATCH = 90,
    CCURLE_SSL_INVALIDCERTSTATUS = 91,
    CCURLE_AUTH_ERROR = 94,
} ccurl_code;

/// `CURLoption`: the option number plus a base naming the argument type (long 0, pointer 10000, function 20000,
/// curl_off_t 30000).
typedef enum ccurl_option {
    CCURLOPT_WRITEDATA = 10001,
    CCURLOPT_URL = 10002,
    CCURLOPT_READDATA = 10009,
    CCURLOPT_ERRORBUFFER = 10010,
    CCURLOPT_WRITEFUNCTION = 20011,
    CCURLOPT_READFUNCTION = 20012,
    CCURLOPT_USERAGENT = 10018,
    CCURLOPT_HTTPHEADER = 10023,
    CCURLOPT_CUSTOMREQUEST = 10036,
    CCURLOPT_UPLOAD = 46,
    CCURLOPT_SSL_VERIFYPEER = 64,
    CCURLOPT_CAINFO = 10065,
    CCURLOPT_HTTPGET = 80,
    CCURLOPT_SSL_VERIFYHOST = 81,
    CCURLOPT_NOSIGNAL = 99,
    CCURLOPT_HTTPAUTH = 107,
    CCURLOPT_SERVER_RESPONSE_TIMEOUT = 112,
    CCURLOPT_INFILESIZE_LARGE = 30115,
    CCURLOPT_USE_SSL = 119,
    CCURLOPT_POSTFIELDSIZE_LARGE = 30120,
    CCURLOPT_TIMEOUT_MS = 155,
    CCURLOPT_CONNECTTIMEOUT_MS = 156,
    CCURLOPT_COPYPOSTFIELDS = 10165,
    CCURLOPT_USERNAME = 10173,
    CCURLOPT_PASSWORD = 10174,
    CCURLOPT_MAIL_FROM = 10186,
    CCURLOPT_MAIL_RCPT = 10187,
    CCURLOPT_PROTOCOLS_STR = 10318,
} ccurl_option;

/// `CURLINFO`: a long-valued item is 0x200000 plus its number.
typedef enum ccurl_info {
    CCURLINFO_RESPONSE_CODE = 0x200002,
} ccurl_info;

/// `curl_usessl`, the values of CURLOPT_USE_SSL.
typedef enum ccurl_usessl {
    CCURLUSESSL_NONE = 0,
    CCURLUSESSL_TRY = 1,
    CCURLUSESSL_CONTROL = 2,
    CCURLUSESSL_ALL = 3,
} ccurl_usessl;

/// Plain constants (curl defines them as macros built from casts and shifts, which would not import anyway).
static const long CCURL_GLOBAL_ALL = 3;
static const long CCURLAUTH_BASIC = 1;
static const size_t CCURL_READFUNC_ABORT = 0x10000000;
static const int CCURL_ERROR_SIZE = 256;

/// The read and write callbacks' signature.
typedef size_t (*ccurl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

/// What `ccurl_load` found.
typedef enum ccurl_load_status {
    CCURL_LOADED = 0,
    /// dlopen("libcurl.so.4") failed: not installed; `error` holds dlerror's text.
    CCURL_LOAD_MISSING = 1,
    /// The library lacks a function used here; `error` names it.
    CCURL_LOAD_INCOMPLETE = 2,
    /// curl_global_init failed; `error` holds its code.
    CCURL_LOAD_INIT_FAILED = 3,
} ccurl_load_status;

/// Loads libcurl and runs curl_global_init, thread-safe: once it worked later calls return at once; after a failure
/// the next call tries again. Returns CCURL_LOADED, or another status with a NUL-terminated explanation in `error`
/// (when `size` > 0). The functions below may be called only after this returned CCURL_LOADED on the calling thread.
int ccurl_load(char *error, size_t size);

ccurl_handle *ccurl_easy_init(void);
void ccurl_easy_cleanup(ccurl_handle *handle);
ccurl_code ccurl_easy_perform(ccurl_handle *handle);
const char *ccurl_easy_strerror(ccurl_code code);
ccurl_slist *ccurl_slist_append(ccurl_slist *list, const char *item);
void ccurl_slist_free_all(ccurl_slist *list);

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper per argument kind.
ccurl_code ccurl_setopt_long(ccurl_handle *handle, ccurl_option option, long value);
ccurl_code ccurl_setopt_off(ccurl_handle *handle, ccurl_option option, ccurl_off_t value);
ccurl_code ccurl_setopt_string(ccurl_handle *handle, ccurl_option option, const char *value);
ccurl_code ccurl_setopt_pointer(ccurl_handle *handle, ccurl_option option, void *value);
ccurl_code ccurl_setopt_slist(ccurl_handle *handle, ccurl_option option, ccurl_slist *value);
ccurl_code ccurl_setopt_callback(ccurl_handle *handle, ccurl_option option, ccurl_data_callback value);
ccurl_code ccurl_getinfo_long(ccurl_handle *handle, ccurl_info info, long *value);

#endif
