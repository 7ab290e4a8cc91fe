// libcurl as Debian's libcurl4-openssl-dev installs it: every type, constant and prototype comes from curl.h.
//
// The library itself is loaded with dlopen on the first transfer, not linked: libcurl and the 30-odd libraries
// it needs (OpenSSL, Kerberos, LDAP, SSH, ...) would otherwise be mapped into every command (README, "libcurl").
// The function table below is typed from curl.h's own prototypes (__typeof__), so a wrong signature or constant
// fails the build. What Swift cannot use directly gets a small typed wrapper:
// - curl_easy_setopt and curl_easy_getinfo are variadic: one wrapper per argument kind;
// - constants that curl.h defines as macros with casts (CURL_GLOBAL_ALL, CURLAUTH_BASIC, CURLPROTO_*);
// - CURLOPT_PROTOCOLS, deprecated since 7.85 but the only protocol filter older libraries know.

#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

// The deprecated CURLOPT_PROTOCOLS is used on purpose, for libcurl before 7.85; no warning for it.
#define CURL_DISABLE_DEPRECATION 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

/// The libcurl functions factorwatch calls, resolved from libcurl.so.4.
typedef struct ccurl_api {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_version_info) *version_info;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_perform) *easy_perform;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
    // Variadic: called only through the typed wrappers below.
    void *easy_setopt;
    void *easy_getinfo;
} ccurl_api;

/// Fills `api` from an opened libcurl; returns NULL, or the name of the first function it lacks.
static inline const char *ccurl_resolve(void *library, ccurl_api *api) {
#define CCURL_RESOLVE(field, symbol) \
    if ((*(void **)&api->field = dlsym(library, #symbol)) == NULL) return #symbol;
    CCURL_RESOLVE(global_init, curl_global_init)
    CCURL_RESOLVE(version_info, curl_version_info)
    CCURL_RESOLVE(easy_init, curl_easy_init)
    CCURL_RESOLVE(easy_cleanup, curl_easy_cleanup)
    CCURL_RESOLVE(easy_perform, curl_easy_perform)
    CCURL_RESOLVE(easy_strerror, curl_easy_strerror)
    CCURL_RESOLVE(slist_append, curl_slist_append)
    CCURL_RESOLVE(slist_free_all, curl_slist_free_all)
    CCURL_RESOLVE(easy_setopt, curl_easy_setopt)
    CCURL_RESOLVE(easy_getinfo, curl_easy_getinfo)
#undef CCURL_RESOLVE
    return NULL;
}

/// RTLD_LOCAL: libcurl's own dependencies stay out of the global symbol namespace. Never closed: handles and
/// callbacks point into it for the life of the process.
static inline void *ccurl_open(const char *name) { return dlopen(name, RTLD_NOW | RTLD_LOCAL); }

static inline const char *ccurl_dlerror(void) { return dlerror(); }

static inline const curl_version_info_data *ccurl_version_info(const ccurl_api *api) {
    return api->version_info(CURLVERSION_NOW);
}

static inline long ccurl_global_all(void) { return CURL_GLOBAL_ALL; }
static inline long ccurl_auth_basic(void) { return (long)CURLAUTH_BASIC; }
static inline size_t ccurl_readfunc_abort(void) { return CURL_READFUNC_ABORT; }
static inline int ccurl_error_size(void) { return CURL_ERROR_SIZE; }

/// The CURLOPT_PROTOCOLS bitmask for web (http, https) or mail (smtp, smtps) transfers.
static inline long ccurl_protocols_mask(int mail) {
    return mail ? (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS) : (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS);
}

/// 7.85.0, the first libcurl with CURLOPT_PROTOCOLS_STR.
static inline unsigned int ccurl_protocols_str_since(void) { return 0x075500; }

#define CCURL_SETOPT(api) ((__typeof__(curl_easy_setopt) *)(api)->easy_setopt)

static inline CURLcode ccurl_setopt_long(const ccurl_api *api, CURL *handle, CURLoption option, long value) {
    return CCURL_SETOPT(api)(handle, option, value);
}

static inline CURLcode ccurl_setopt_off(const ccurl_api *api, CURL *handle, CURLoption option, curl_off_t value) {
    return CCURL_SETOPT(api)(handle, option, value);
}

static inline CURLcode ccurl_setopt_string(const ccurl_api *api, CURL *handle, CURLoption option,
                                           const char *value) {
    return CCURL_SETOPT(api)(handle, option, value);
}

static inline CURLcode ccurl_setopt_pointer(const ccurl_api *api, CURL *handle, CURLoption option, void *value) {
    return CCURL_SETOPT(api)(handle, option, value);
}

static inline CURLcode ccurl_setopt_slist(const ccurl_api *api, CURL *handle, CURLoption option,
                                          struct curl_slist *value) {
    return CCURL_SETOPT(api)(handle, option, value);
}

static inline CURLcode ccurl_setopt_callback(const ccurl_api *api, CURL *handle, CURLoption option,
                                             curl_write_callback value) {
    return CCURL_SETOPT(api)(handle, option, value);
}

static inline CURLcode ccurl_setopt_xferinfo(const ccurl_api *api, CURL *handle, curl_xferinfo_callback value) {
    return CCURL_SETOPT(api)(handle, CURLOPT_XFERINFOFUNCTION, value);
}

/// CURLOPT_PROTOCOLS: the bitmask form, which libcurl before 7.85 needs.
static inline CURLcode ccurl_setopt_protocols_mask(const ccurl_api *api, CURL *handle, long mask) {
    return CCURL_SETOPT(api)(handle, CURLOPT_PROTOCOLS, mask);
}

static inline CURLcode ccurl_getinfo_long(const ccurl_api *api, CURL *handle, CURLINFO info, long *value) {
    return ((__typeof__(curl_easy_getinfo) *)api->easy_getinfo)(handle, info, value);
}

#undef CCURL_SETOPT
#endif
