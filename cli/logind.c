/* sd-bus calls for the sweep (logind.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "logind.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define MANAGER_IFACE "org.freedesktop.login1.Manager"
#define SESSION_IFACE "org.freedesktop.login1.Session"

struct lclogind {
    sd_bus *bus;
};

/* "what: the bus's error name and message", or strerror(-r). */
static void say_error(char *err, size_t errlen, const char *what, const sd_bus_error *e, int r)
{
    if (e && sd_bus_error_is_set(e))
        snprintf(err, errlen, "%s: %s: %s", what, e->name, e->message ? e->message : "");
    else
        snprintf(err, errlen, "%s: %s", what, strerror(r < 0 ? -r : EIO));
}

lclogind *lclogind_open(char *err, size_t errlen)
{
    lclogind *l = calloc(1, sizeof *l);
    int r;

    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r = sd_bus_open_system(&l->bus);
    if (r < 0) {
        say_error(err, errlen, "cannot connect to the system bus", NULL, r);
        free(l);
        return NULL;
    }
    return l;
}

void lclogind_close(lclogind *l)
{
    if (!l)
        return;
    sd_bus_flush_close_unref(l->bus);
    free(l);
}

static void session_clear(lclogind_session *s)
{
    free(s->id);
    free(s->user);
    free(s->service);
    free(s->class);
}

void lclogind_free(lclogind_session *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        session_clear(&s[i]);
    free(s);
}

/* A session that ended after ListSessions answered. */
static int vanished(const sd_bus_error *e)
{
    return sd_bus_error_has_name(e, "org.freedesktop.login1.NoSuchSession") ||
           sd_bus_error_has_name(e, SD_BUS_ERROR_UNKNOWN_OBJECT);
}

/* Reads Service and Class of the session at path into s. 1 read, 0
 * vanished, -1 failed (err). */
static int read_session(sd_bus *bus, const char *path, lclogind_session *s, char *err,
                        size_t errlen)
{
    static const char *const props[] = { "Service", "Class" };
    char **dst[] = { &s->service, &s->class };

    for (size_t i = 0; i < 2; i++) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_string(bus, LOGIND_NAME, path, SESSION_IFACE, props[i], &e,
                                           dst[i]);
        if (r < 0) {
            int gone = vanished(&e);
            if (!gone) {
                char what[128];
                snprintf(what, sizeof what, "session %s: %s", s->id, props[i]);
                say_error(err, errlen, what, &e, r);
            }
            sd_bus_error_free(&e);
            return gone ? 0 : -1;
        }
    }
    return 1;
}

int lclogind_sessions(lclogind *l, lclogind_session **out, size_t *n, char *err, size_t errlen)
{
    sd_bus_error e = SD_BUS_ERROR_NULL;
    sd_bus_message *reply = NULL;
    lclogind_session *list = NULL;
    size_t count = 0, cap = 0;
    int r;

    *out = NULL;
    *n = 0;
    r = sd_bus_call_method(l->bus, LOGIND_NAME, LOGIND_PATH, MANAGER_IFACE, "ListSessions", &e,
                           &reply, "");
    if (r < 0) {
        say_error(err, errlen, "logind: ListSessions", &e, r);
        sd_bus_error_free(&e);
        return -1;
    }
    r = sd_bus_message_enter_container(reply, 'a', "(susso)");
    while (r >= 0) {
        const char *id, *user, *seat, *path;
        uint32_t uid;
        lclogind_session s = { 0 };
        int got;

        r = sd_bus_message_read(reply, "(susso)", &id, &uid, &user, &seat, &path);
        if (r <= 0)
            break;
        s.uid = (uid_t)uid;
        s.id = strdup(id);
        s.user = strdup(user);
        if (!s.id || !s.user) {
            session_clear(&s);
            r = -ENOMEM;
            break;
        }
        got = read_session(l->bus, path, &s, err, errlen);
        if (got <= 0) {
            session_clear(&s);
            if (got < 0) {
                lclogind_free(list, count);
                sd_bus_message_unref(reply);
                return -1;
            }
            continue;
        }
        if (count == cap) {
            void *p = realloc(list, (cap ? cap * 2 : 16) * sizeof *list);
            if (!p) {
                session_clear(&s);
                r = -ENOMEM;
                break;
            }
            list = p;
            cap = cap ? cap * 2 : 16;
        }
        list[count++] = s;
    }
    sd_bus_message_unref(reply);
    if (r < 0) {
        say_error(err, errlen, "logind: ListSessions: reading the reply", NULL, r);
        lclogind_free(list, count);
        return -1;
    }
    *out = list;
    *n = count;
    return 0;
}

int lclogind_terminate(lclogind *l, const char *id, char *err, size_t errlen)
{
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int r = sd_bus_call_method(l->bus, LOGIND_NAME, LOGIND_PATH, MANAGER_IFACE,
                               "TerminateSession", &e, NULL, "s", id);

    if (r < 0) {
        say_error(err, errlen, "logind: TerminateSession", &e, r);
        sd_bus_error_free(&e);
        return -1;
    }
    return 0;
}
