/* test_library_doc.c - docs/library.md stays true: every block it quotes
 * (marked <!-- quote: path -->) is that file, byte for byte, every example
 * is quoted, and every output it shows (<!-- output: name -->) is what the
 * built example prints. scripts/install_check.sh builds the same files
 * against an installed copy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static char *doc;

/* The fenced block after marker: its text (without the fences) into a
 * malloc'd string, or NULL when the marker is missing. */
static char *block_after(const char *marker)
{
    const char *m = strstr(doc, marker);
    if (!m)
        return NULL;
    const char *open = strstr(m, "\n```");
    assert_non_null(open);
    const char *body = strchr(open + 1, '\n');
    assert_non_null(body);
    body++;
    const char *close = strstr(body, "\n```\n");
    if (!close && strncmp(body, "```\n", 4) == 0)
        close = body - 1;  /* an empty block */
    assert_non_null(close);
    size_t len = (size_t)(close + 1 - body);
    char *s = malloc(len + 1);
    memcpy(s, body, len);
    s[len] = '\0';
    return s;
}

static void test_quotes_are_the_files(void **state)
{
    (void)state;
    static const char *const files[] = {"examples/fut_socket.h", "examples/fut_socket.c",
                                        "examples/fut_socket_trace.c", "examples/CMakeLists.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char marker[128];
        snprintf(marker, sizeof marker, "<!-- quote: %s -->", files[i]);
        char *quoted = block_after(marker);
        if (!quoted)
            fail_msg("docs/library.md does not quote %s", files[i]);
        size_t len;
        char *file = fs_test_read_file(fs_test_src(files[i]), &len);
        assert_non_null(file);
        if (strcmp(quoted, file) != 0)
            fail_msg("docs/library.md's quote of %s is not the file: copy the file into it", files[i]);
        free(file);
        free(quoted);
    }
    /* and nothing is quoted that is not checked above */
    size_t n = 0;
    for (const char *p = doc; (p = strstr(p, "<!-- quote: ")); p++)
        n++;
    assert_int_equal(n, sizeof files / sizeof files[0]);
}

static void check_output(const char *name, const char *cmd)
{
    char marker[128];
    snprintf(marker, sizeof marker, "<!-- output: %s -->", name);
    char *shown = block_after(marker);
    if (!shown)
        fail_msg("docs/library.md shows no output of %s", name);
    char *out = NULL;
    assert_int_equal(fs_test_run(cmd, &out, NULL), 0);
    assert_string_equal(out, shown);
    free(out);
    free(shown);
}

static void test_outputs_are_what_the_examples_print(void **state)
{
    (void)state;
    check_output("fut_socket", "'" FS_EXAMPLE_FUT_SOCKET "'");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' sockets.jsonl", fs_test_scratch_dir(), FS_EXAMPLE_FUT_SOCKET_TRACE);
    check_output("fut_socket_trace", cmd);
    /* the trace it wrote: header, 12 events, summary; both tasks done */
    size_t len;
    char *trace = fs_test_read_file(fs_test_scratch_path("sockets.jsonl"), &len);
    assert_non_null(trace);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += trace[i] == '\n';
    assert_int_equal(lines, 14);
    assert_int_equal(strncmp(trace, "{\"type\":\"header\",\"format\":\"futurescope-trace\"", 45), 0);
    assert_non_null(strstr(trace, "\n{\"type\":\"summary\",\"executor\":\"wake\",\"workers\":1,\"end_ns\":2000002000,"
                                  "\"tasks_total\":2,\"completed\":2,\"stalled\":false,"));
    free(trace);
}

static int setup(void **state)
{
    size_t len;
    doc = fs_test_read_file(fs_test_src("docs/library.md"), &len);
    if (!doc)
        return -1;
    return fs_test_scratch_setup(state);
}

static int teardown(void **state)
{
    free(doc);
    return fs_test_scratch_teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quotes_are_the_files),
        cmocka_unit_test(test_outputs_are_what_the_examples_print),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
