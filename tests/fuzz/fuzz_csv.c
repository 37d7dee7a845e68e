/* Fuzz the CSV reader: any bytes, fed in small uneven reads, must give
   records or a clean error, never a crash or a read past the input. */
#include <stdint.h>
#include <string.h>

#include "import/import_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arcs__memsrc src = {(const char *)data, size, 0, size ? (size_t)data[0] % 7 + 1 : 1};
    arcs__csv *c = arcs__csv_new(arcs__memsrc_read, &src);
    arcs__csv_record rec;
    arcs_err err;

    if (!c)
        return 0;
    while (arcs__csv_next(c, &rec, &err) == ARCS_OK && rec.nfields > 0) {
        for (size_t i = 0; i < rec.nfields; i++)
            if (strlen(rec.fields[i]) > rec.lens[i] || rec.line == 0)
                __builtin_trap();
    }
    arcs__csv_free(c);
    return 0;
}
