/* Fuzz the JSON import reader: any bytes must give rows of valid UTF-8
   strings or a clean error, in bounded memory, never a crash. */
#include <stdint.h>
#include <string.h>

#include "import/import_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const sections[] = {"cases", "assets", NULL};
    arcs__memsrc src = {(const char *)data, size, 0, size ? (size_t)data[0] % 5 + 1 : 1};
    arcs__jreader *j = arcs__jreader_new(arcs__memsrc_read, &src, sections);
    arcs__jrow row;
    arcs_err err;
    size_t bad;
    int nul;

    if (!j)
        return 0;
    while (arcs__jreader_next(j, &row, &err) == ARCS_OK && row.section) {
        for (size_t i = 0; i < row.nfields; i++)
            if (row.values[i] && arcs__text_check(row.values[i], row.lens[i], &bad, &nul))
                __builtin_trap();
    }
    arcs__jreader_free(j);
    return 0;
}
