/* Internal error helpers shared by pure and database code. */
#ifndef ARCS_ERROR_INT_H
#define ARCS_ERROR_INT_H

#include <stdarg.h>

#include "arcs/common.h"

/* Format into err (not NULL), folding newlines so the message stays one line. */
void arcs__err_vset(arcs_err *err, arcs_status code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
