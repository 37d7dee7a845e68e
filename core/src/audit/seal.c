/* Sealing captured changes into the audit log. */
#include "../db_int.h"

arcs_status arcs__audit_seal(arcs_ctx *ctx, int64_t *sealed)
{
    /* Until the audit log lands there is nothing to seal. */
    if (sealed)
        *sealed = 0;
    (void)ctx;
    return ARCS_OK;
}
