/* Minimal TAP producer for C tests (header-only; each test is one program).
 *   ok(cond, "what %s", arg);   skip("why");   return tap_done();
 * tap_done() returns non-zero when anything failed, so main() can return it. */
#ifndef LC_TAP_H
#define LC_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count_;
static int tap_failed_;

__attribute__((format(printf, 2, 3), unused))
static int ok(int cond, const char *fmt, ...)
{
    va_list ap;
    tap_count_++;
    if (!cond)
        tap_failed_++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count_);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return cond;
}

__attribute__((format(printf, 1, 2), unused))
static void diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

__attribute__((unused))
static void skip(const char *why)
{
    tap_count_++;
    printf("ok %d - # SKIP %s\n", tap_count_, why);
    fflush(stdout);
}

__attribute__((unused))
static int tap_done(void)
{
    printf("1..%d\n", tap_count_);
    return tap_failed_ ? 1 : 0;
}

#endif
