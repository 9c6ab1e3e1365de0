/* The sessions logind knows, and ending one: the only sd-bus code of the
 * command (org.freedesktop.login1 on the system bus; DBUS_SYSTEM_BUS_ADDRESS
 * points it elsewhere, as the tests do). */
#ifndef LCCLI_LOGIND_H
#define LCCLI_LOGIND_H

#include <stddef.h>
#include <sys/types.h>

typedef struct lclogind lclogind;

/* One session as logind reports it; strings are logind's, not sanitised. */
typedef struct lclogind_session {
    char *id;      /* logind's session id ("3", "c12")                     */
    uid_t uid;
    char *user;    /* the account name                                     */
    char *service; /* the PAM service that opened it, "" when none          */
    char *class;   /* "user", "background", "greeter", ...; "" unknown      */
} lclogind_session;

/* Connects to the system bus. NULL with a message in err on failure. */
lclogind *lclogind_open(char *err, size_t errlen);
void lclogind_close(lclogind *l);

/* Manager.ListSessions, then each session's Service and Class. A session
 * that ends between the list and its properties is left out. Returns 0
 * with *out (free with lclogind_free) and *n, or -1 with err. */
int lclogind_sessions(lclogind *l, lclogind_session **out, size_t *n, char *err, size_t errlen);
void lclogind_free(lclogind_session *s, size_t n);

/* Manager.TerminateSession(id). 0, or -1 with err. */
int lclogind_terminate(lclogind *l, const char *id, char *err, size_t errlen);

#endif
