/*
 * arcs: shared definitions of the public API: status codes, the error
 * buffer used by pure functions, and the export macro.
 */
#ifndef ARCS_COMMON_H
#define ARCS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define ARCS_EXTERN(type) __attribute__((visibility("default"))) extern type
#else
#define ARCS_EXTERN(type) extern type
#endif

/*
 * Every fallible function returns an arcs_status. Codes are negative and are
 * never renumbered: new ones are appended.
 */
typedef enum arcs_status {
    ARCS_OK = 0,
    ARCS_ERROR = -1,     /* database, I/O, out of memory: a failure */
    ARCS_EINVAL = -2,    /* malformed input: amount, date, code, flag */
    ARCS_ENOTFOUND = -3, /* no such case, asset, project, entry */
    ARCS_EREFUSED = -4,  /* a rule said no: transition, funds, missing rate */
    ARCS_EPERM = -5,     /* the database user may not do this */
    ARCS_ECONFLICT = -6, /* a reference already used for something different */
    ARCS_EVERIFY = -7,   /* verification failed: tampering found */
    ARCS_ERETRY = -8     /* serialization failure or deadlock: retry */
} arcs_status;

/*
 * Error buffer for functions that have no context handle (pure functions of
 * bytes: money, canonical JSON, Merkle, notes). Callers may pass NULL when
 * they do not want the message.
 */
typedef struct arcs_err {
    arcs_status code;
    char msg[512];
} arcs_err;

/* Record a formatted message and code in err (which may be NULL); returns code. */
ARCS_EXTERN(arcs_status)
arcs_err_set(arcs_err *err, arcs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Empty err (which may be NULL). */
ARCS_EXTERN(void) arcs_err_clear(arcs_err *err);

/* Short English name of a status, for logs: "refused", "not found" ... */
ARCS_EXTERN(const char *) arcs_status_name(arcs_status st);

#endif
