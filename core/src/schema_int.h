/* Embedded migrations (generated from sql/ at build time). */
#ifndef ARCS_SCHEMA_INT_H
#define ARCS_SCHEMA_INT_H

#include <stddef.h>

typedef struct arcs__migration {
    int version;
    const char *name;
    const char *sql;
} arcs__migration;

extern const arcs__migration arcs__migrations[];
extern const size_t arcs__nmigrations;

#endif
