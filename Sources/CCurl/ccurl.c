#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// Where curl's headers are installed, check the declared values against them; they are not needed otherwise.
#if __has_include(<curl/curl.h>)
#include <curl/curl.h>
#define CCURL_SAME(ours, theirs) _Static_assert((long)(ours) == (long)(theirs), #ours " differs from curl.h");
CCURL_SAME(sizeof(ccurl_off_t), sizeof(curl_off_t))
CCURL_SAME(CCURLE_OK, CURLE_OK)
CCURL_SAME(CCURLE_UNSUPPORTED_PROTOCOL, CURLE_UNSUPPORTED_PROTOCOL)
CCURL_SAME(CCURLE_FAILED_INIT, CURLE_FAILED_INIT)
CCURL_SAME(CCURLE_URL_MALFORMAT, CURLE_URL_MALFORMAT)
CCURL_SAME(CCURLE_NOT_BUILT_IN, CURLE_NOT_BUILT_IN)
CCURL_SAME(CCURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_PROXY)
CCURL_SAME(CCURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_HOST)
CCURL_SAME(CCURLE_COULDNT_CONNECT, CURLE_COULDNT_CONNECT)
CCURL_SAME(CCURLE_WEIRD_SERVER_REPLY, CURLE_WEIRD_SERVER_REPLY)
CCURL_SAME(CCURLE_REMOTE_ACCESS_DENIED, CURLE_REMOTE_ACCESS_DENIED)
CCURL_SAME(CCURLE_PARTIAL_FILE, CURLE_PARTIAL_FILE)
CCURL_SAME(CCURLE_OPERATION_TIMEDOUT, CURLE_OPERATION_TIMEDOUT)
CCURL_SAME(CCURLE_SSL_CONNECT_ERROR, CURLE_SSL_CONNECT_ERROR)
CCURL_SAME(CCURLE_BAD_FUNCTION_ARGUMENT, CURLE_BAD_FUNCTION_ARGUMENT)
CCURL_SAME(CCURLE_UNKNOWN_OPTION, CURLE_UNKNOWN_OPTION)
CCURL_SAME(CCURLE_SETOPT_OPTION_SYNTAX, CURLE_SETOPT_OPTION_SYNTAX)
CCURL_SAME(CCURLE_GOT_NOTHING, CURLE_GOT_NOTHING)
CCURL_SAME(CCURLE_SEND_ERROR, CURLE_SEND_ERROR)
CCURL_SAME(CCURLE_RECV_ERROR, CURLE_RECV_ERROR)
CCURL_SAME(CCURLE_SSL_CERTPROBLEM, CURLE_SSL_CERTPROBLEM)
CCURL_SAME(CCURLE_SSL_CIPHER, CURLE_SSL_CIPHER)
CCURL_SAME(CCURLE_PEER_FAILED_VERIFICATION, CURLE_PEER_FAILED_VERIFICATION)
CCURL_SAME(CCURLE_USE_SSL_FAILED, CURLE_USE_SSL_FAILED)
CCURL_SAME(CCURLE_LOGIN_DENIED, CURLE_LOGIN_DENIED)
CCURL_SAME(CCURLE_SSL_CACERT_BADFILE, CURLE_SSL_CACERT_BADFILE)
CCURL_SAME(CCURLE_SSL_ISSUER_ERROR, CURLE_SSL_ISSUER_ERROR)
CCURL_SAME(CCURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_PINNEDPUBKEYNOTMATCH)
CCURL_SAME(CCURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_INVALIDCERTSTATUS)
CCURL_SAME(CCURLE_AUTH_ERROR, CURLE_AUTH_ERROR)
CCURL_SAME(CCURLOPT_WRITEDATA, CURLOPT_WRITEDATA)
CCURL_SAME(CCURLOPT_URL, CURLOPT_URL)
CCURL_SAME(CCURLOPT_READDATA, CURLOPT_READDATA)
CCURL_SAME(CCURLOPT_ERRORBUFFER, CURLOPT_ERRORBUFFER)
CCURL_SAME(CCURLOPT_WRITEFUNCTION, CURLOPT_WRITEFUNCTION)
CCURL_SAME(CCURLOPT_READFUNCTION, CURLOPT_READFUNCTION)
CCURL_SAME(CCURLOPT_USERAGENT, CURLOPT_USERAGENT)
CCURL_SAME(CCURLOPT_HTTPHEADER, CURLOPT_HTTPHEADER)
CCURL_SAME(CCURLOPT_CUSTOMREQUEST, CURLOPT_CUSTOMREQUEST)
CCURL_SAME(CCURLOPT_UPLOAD, CURLOPT_UPLOAD)
CCURL_SAME(CCURLOPT_SSL_VERIFYPEER, CURLOPT_SSL_VERIFYPEER)
CCURL_SAME(CCURLOPT_CAINFO, CURLOPT_CAINFO)
CCURL_SAME(CCURLOPT_HTTPGET, CURLOPT_HTTPGET)
CCURL_SAME(CCURLOPT_SSL_VERIFYHOST, CURLOPT_SSL_VERIFYHOST)
CCURL_SAME(CCURLOPT_NOSIGNAL, CURLOPT_NOSIGNAL)
CCURL_SAME(CCURLOPT_HTTPAUTH, CURLOPT_HTTPAUTH)
CCURL_SAME(CCURLOPT_SERVER_RESPONSE_TIMEOUT, CURLOPT_SERVER_RESPONSE_TIMEOUT)
CCURL_SAME(CCURLOPT_INFILESIZE_LARGE, CURLOPT_INFILESIZE_LARGE)
CCURL_SAME(CCURLOPT_USE_SSL, CURLOPT_USE_SSL)
CCURL_SAME(CCURLOPT_POSTFIELDSIZE_LARGE, CURLOPT_POSTFIELDSIZE_LARGE)
CCURL_SAME(CCURLOPT_TIMEOUT_MS, CURLOPT_TIMEOUT_MS)
CCURL_SAME(CCURLOPT_CONNECTTIMEOUT_MS, CURLOPT_CONNECTTIMEOUT_MS)
CCURL_SAME(CCURLOPT_COPYPOSTFIELDS, CURLOPT_COPYPOSTFIELDS)
CCURL_SAME(CCURLOPT_USERNAME, CURLOPT_USERNAME)
CCURL_SAME(CCURLOPT_PASSWORD, CURLOPT_PASSWORD)
CCURL_SAME(CCURLOPT_MAIL_FROM, CURLOPT_MAIL_FROM)
CCURL_SAME(CCURLOPT_MAIL_RCPT, CURLOPT_MAIL_RCPT)
CCURL_SAME(CCURLOPT_PROTOCOLS_STR, CURLOPT_PROTOCOLS_STR)
CCURL_SAME(CCURLINFO_RESPONSE_CODE, CURLINFO_RESPONSE_CODE)
CCURL_SAME(CCURLUSESSL_NONE, CURLUSESSL_NONE)
CCURL_SAME(CCURLUSESSL_TRY, CURLUSESSL_TRY)
CCURL_SAME(CCURLUSESSL_CONTROL, CURLUSESSL_CONTROL)
CCURL_SAME(CCURLUSESSL_ALL, CURLUSESSL_ALL)
CCURL_SAME(CCURL_READFUNC_ABORT, CURL_READFUNC_ABORT)
CCURL_SAME(CCURL_ERROR_SIZE, CURL_ERROR_SIZE)
#endif

// The real signatures, with the handle and list as opaque pointers and the enums as the ints they are passed as.
static struct {
    int (*global_init)(long flags);
    void *(*easy_init)(void);
    void (*easy_cleanup)(void *handle);
    int (*easy_perform)(void *handle);
    const char *(*easy_strerror)(int code);
    int (*easy_setopt)(void *handle, int option, ...);
    int (*easy_getinfo)(void *handle, int info, ...);
    void *(*slist_append)(void *list, const char *item);
    void (*slist_free_all)(void *list);
} curl;

// Guards everything above and below: taking it on every load also orders the table's writes before any use.
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static int load_status = CCURL_LOAD_MISSING;
static char load_error[512];

static int resolve(void *library, const char *name, void **slot) {
    dlerror();
    *slot = dlsym(library, name);
    if (*slot != NULL) return 1;
    const char *reason = dlerror();
    snprintf(load_error, sizeof load_error, "%s", reason ? reason : name);
    return 0;
}

static void load(void) {
    // RTLD_LOCAL: libcurl's own dependencies stay out of the global symbol namespace.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(load_error, sizeof load_error, "%s", reason ? reason : "libcurl.so.4: cannot be loaded");
        load_status = CCURL_LOAD_MISSING;
        return;
    }
    // Never closed: handles and callbacks point into it for the life of the process.
    int found = resolve(library, "curl_global_init", (void **)&curl.global_init)
        && resolve(library, "curl_easy_init", (void **)&curl.easy_init)
        && resolve(library, "curl_easy_cleanup", (void **)&curl.easy_cleanup)
        && resolve(library, "curl_easy_perform", (void **)&curl.easy_perform)
        && resolve(library, "curl_easy_strerror", (void **)&curl.easy_strerror)
        && resolve(library, "curl_easy_setopt", (void **)&curl.easy_setopt)
        && resolve(library, "curl_easy_getinfo", (void **)&curl.easy_getinfo)
        && resolve(library, "curl_slist_append", (void **)&curl.slist_append)
        && resolve(library, "curl_slist_free_all", (void **)&curl.slist_free_all);
    if (!found) {
        load_status = CCURL_LOAD_INCOMPLETE;
        return;
    }
    // curl_global_init is not thread-safe itself; the lock makes it so, and it runs once on success.
    int code = curl.global_init(CCURL_GLOBAL_ALL);
    if (code != CCURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init returned %d", code);
        load_status = CCURL_LOAD_INIT_FAILED;
        return;
    }
    load_status = CCURL_LOADED;
}

int ccurl_load(char *error, size_t size) {
    pthread_mutex_lock(&load_lock);
    // A failure is tried again next time: a long-running process then picks up libcurl once it is installed.
    if (load_status != CCURL_LOADED) load();
    int status = load_status;
    if (status != CCURL_LOADED && error != NULL && size > 0) snprintf(error, size, "%s", load_error);
    pthread_mutex_unlock(&load_lock);
    return status;
}

ccurl_handle *ccurl_easy_init(void) { return curl.easy_init(); }

void ccurl_easy_cleanup(ccurl_handle *handle) { curl.easy_cleanup(handle); }

ccurl_code ccurl_easy_perform(ccurl_handle *handle) { return curl.easy_perform(handle); }

const char *ccurl_easy_strerror(ccurl_code code) { return curl.easy_strerror(code); }

ccurl_slist *ccurl_slist_append(ccurl_slist *list, const char *item) { return curl.slist_append(list, item); }

void ccurl_slist_free_all(ccurl_slist *list) { curl.slist_free_all(list); }

ccurl_code ccurl_setopt_long(ccurl_handle *handle, ccurl_option option, long value) {
    return curl.easy_setopt(handle, option, value);
}

ccurl_code ccurl_setopt_off(ccurl_handle *handle, ccurl_option option, ccurl_off_t value) {
    return curl.easy_setopt(handle, option, value);
}

ccurl_code ccurl_setopt_string(ccurl_handle *handle, ccurl_option option, const char *value) {
    return curl.easy_setopt(handle, option, value);
}

ccurl_code ccurl_setopt_pointer(ccurl_handle *handle, ccurl_option option, void *value) {
    return curl.easy_setopt(handle, option, value);
}

ccurl_code ccurl_setopt_slist(ccurl_handle *handle, ccurl_option option, ccurl_slist *value) {
    return curl.easy_setopt(handle, option, value);
}

ccurl_code ccurl_setopt_callback(ccurl_handle *handle, ccurl_option option, ccurl_data_callback value) {
    return curl.easy_setopt(handle, option, value);
}

ccurl_code ccurl_getinfo_long(ccurl_handle *handle, ccurl_info info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}
