/* Log callback plumbing; see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

void lc_log(const lc_client *c, int level, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    if (!c || !c->log)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    c->log(c->log_userdata, level, line);
}
