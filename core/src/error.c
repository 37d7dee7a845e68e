/* Error buffers and status names. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arcs/common.h"
#include "error_int.h"

void arcs__err_vset(arcs_err *err, arcs_status code, const char *fmt, va_list ap)
{
    char tmp[sizeof(err->msg)];

    /* Format aside, then copy: an argument may be err->msg itself ("...: %s",
       the previous reason), and vsnprintf into the buffer it reads from is
       undefined and in practice erases the reason. */
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    memcpy(err->msg, tmp, sizeof(err->msg));
    err->code = code;
    /* Messages are single lines: the CLI prints them as one. */
    for (char *p = err->msg; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
}

arcs_status arcs_err_set(arcs_err *err, arcs_status code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    arcs__err_vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

void arcs_err_clear(arcs_err *err)
{
    if (!err)
        return;
    err->code = ARCS_OK;
    err->msg[0] = '\0';
}

const char *arcs_status_name(arcs_status st)
{
    switch (st) {
    case ARCS_OK:
        return "ok";
    case ARCS_ERROR:
        return "failure";
    case ARCS_EINVAL:
        return "invalid input";
    case ARCS_ENOTFOUND:
        return "not found";
    case ARCS_EREFUSED:
        return "refused";
    case ARCS_EPERM:
        return "permission denied";
    case ARCS_ECONFLICT:
        return "conflict";
    case ARCS_EVERIFY:
        return "verification failed";
    case ARCS_ERETRY:
        return "retry";
    }
    return "unknown";
}
