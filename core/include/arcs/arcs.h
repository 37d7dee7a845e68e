/* arcs: the asset recovery case system library. The one header to include. */
#ifndef ARCS_ARCS_H
#define ARCS_ARCS_H

#include "common.h"
#include "ctx.h"
#include "db.h"
#include "file.h"
#include "text.h"
#include "money.h"
#include "ledger.h"
#include "case.h"
#include "user.h"
#include "asset.h"
#include "import.h"
#include "canonical.h"
#include "merkle.h"
#include "note.h"
#include "proof.h"
#include "audit.h"
#include "report.h"

#endif
