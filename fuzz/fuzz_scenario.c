/* fuzz_scenario.c - libFuzzer target: any bytes as a scenario file. The
 * loader must return OK or an input error with a position and a message,
 * never crash, hang or leak; a scenario that loads must also simulate
 * (briefly) without crashing. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fs_scenario *sc = NULL;
    fs_error err = {0};
    fs_errcode rc = fs_scenario_load_text((const char *)data, size, "fuzz.json", &sc, &err);
    if (rc != FS_ERR_OK) {
        /* every refusal says where and why */
        if (rc == FS_ERR_INPUT && (err.line < 1 || err.col < 1 || !err.msg[0]))
            __builtin_trap();
        return 0;
    }
    /* Keep runs short: small worlds only, a tight time limit. */
    if (sc->total_tasks <= 64) {
        fs_run *r = NULL;
        fs_run_desc d = {.scenario = sc, .kind = FS_EXEC_WAKE, .max_time_ns = 10000000000LL,
                         .max_polls = 20000};
        if (fs_run_simulate(&d, &r, &err) == FS_ERR_OK)
            fs_run_free(r);
    }
    fs_scenario_free(sc);
    return 0;
}
