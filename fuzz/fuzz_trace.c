/* fuzz_trace.c - libFuzzer target: any bytes as a JSONL trace. The reader
 * must return OK or an input error naming a line and saying why, never
 * crash, hang or leak; a trace that reads must also export to a Chrome trace
 * and to a Perfetto trace (into memory) without crashing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "chrome_export.h"
#include "perfetto_export.h"
#include "trace_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fs_trace *tr = NULL;
    fs_error err = {0};
    fs_errcode rc = fs_trace_read_text((const char *)data, size, "fuzz.jsonl", &tr, &err);
    if (rc != FS_ERR_OK) {
        /* every refusal names a line (only an empty input has none) and says why */
        if (rc != FS_ERR_INPUT || (size > 0 && err.line < 1) || !err.msg[0])
            __builtin_trap();
        return 0;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        fs_chrome_source src = {.trace = tr, .name = "fuzz.jsonl"};
        if (fs_chrome_export(f, &src, 1, 0, &err) != FS_ERR_OK)
            __builtin_trap();
        fclose(f);
        free(buf);
    }
    buf = NULL;
    len = 0;
    f = open_memstream(&buf, &len);
    if (f) {
        fs_perfetto_source src = {.trace = tr, .name = "fuzz.jsonl"};
        if (fs_perfetto_export(f, &src, 1, 0, &err) != FS_ERR_OK)
            __builtin_trap();
        fclose(f);
        free(buf);
    }
    fs_trace_free(tr);
    return 0;
}
