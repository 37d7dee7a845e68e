/* arcs: the asset recovery case system library. The one header to include. */
#ifndef ARCS_ARCS_H
#define ARCS_ARCS_H

#include "common.h"
#include "ctx.h"
#include "db.h"
#include "money.h"

#endif
