/* Logging through the host's callback only; nothing is ever printed. */
#ifndef LC_LOG_H
#define LC_LOG_H

#include "client.h"

/* Formats and hands one line to the client's log callback, if any. Never
 * pass secrets (tokens, client_secret) or response bodies here. */
__attribute__((format(printf, 3, 4)))
void lc_log(const lc_client *c, int level, const char *fmt, ...);

#endif
