/* Access instruction emails: POST /access_persons/:id/email/notify (now,
 * or attributes[days_before] days before a guest's stay) and a resort
 * lock guest's notify and preview. The simulator sends no mail: a notify
 * answers 200 with no body once the request would be taken (a recipient
 * with an email, a person not deactivated, a whole number of days); the
 * preview renders the instructions the guest would get. */
#include <stdio.h>
#include <string.h>
#include "remotelock.h"

static void refuse(res_ctx *c, const char *attribute, const char *message)
{
    jsonapi_errors e;
    jsonapi_errors_init(&e);
    jsonapi_error_add(&e, attribute, message);
    c->api->doc->invalid(c->res, &e);
}

static void sent(res_ctx *c)
{
    c->res->status = 200;
    c->res->body = NULL;
}

void rl_person_email_notify(res_ctx *c, cJSON *rec, const char *arg)
{
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(c->req->body, "attributes");
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(attrs, "days_before");
    (void)arg;
    if (days && !cJSON_IsNull(days) &&
        (!cJSON_IsNumber(days) || days->valuedouble < 0 || days->valuedouble > 365 ||
         days->valuedouble != (double)(int)days->valuedouble))
        refuse(c, "days_before", "is invalid");
    else if (rl_person_deactivated(rec))
        refuse(c, NULL, "A deactivated access person cannot be notified");
    else if (!rec_str(rec, "email") || !rec_str(rec, "email")[0])
        refuse(c, "email", "can't be blank");
    else
        sent(c);
}

void rl_resort_guest_email_notify(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)arg;
    if (!rec_str(rec, "email") || !rec_str(rec, "email")[0])
        refuse(c, "email", "can't be blank");
    else
        sent(c);
}

/* "2026-03-13T00:00:00" -> "March 13, 2026 12:00 AM". */
static void spoken_time(const char *local, char *out, size_t outlen)
{
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    int y, mo, d, h, mi;
    if (!local || sscanf(local, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 || mo < 1 ||
        mo > 12) {
        snprintf(out, outlen, "%s", local ? local : "");
        return;
    }
    snprintf(out, outlen, "%s %d, %d %d:%02d %s", months[mo - 1], d, y, h % 12 ? h % 12 : 12, mi,
             h < 12 ? "AM" : "PM");
}

/* "1234567890" -> "123-456-7890": groups of three, the rest at the end. */
static void spoken_pin(const char *pin, char *out, size_t outlen)
{
    size_t n = 0, len = pin ? strlen(pin) : 0;
    out[0] = '\0';
    for (size_t i = 0; i < len && n + 2 < outlen; i++) {
        if (i && i % 3 == 0 && len - i >= 3 && n + 3 < outlen)
            out[n++] = '-';
        out[n++] = pin[i];
    }
    out[n] = '\0';
}

void rl_resort_guest_email_preview(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)arg;
    const cJSON *lock = store_find(rl_list(c->d, "devices"), rec_str(rec, "resort_lock_id"));
    const cJSON *loc = store_find(rl_list(c->d, "locations"), rec_str(lock, "location_id"));
    char from[TZ_LOCAL_LEN + 32], to[TZ_LOCAL_LEN + 32], pin[48], body[2048];
    spoken_time(rec_str(rec, "starts_at"), from, sizeof from);
    spoken_time(rec_str(rec, "ends_at"), to, sizeof to);
    spoken_pin(rec_str(rec, "pin"), pin, sizeof pin);
    snprintf(body, sizeof body,
             "<p>Dear %.255s,</p>\n\n<p>Here is your access code for your upcoming stay with "
             "us. Our property is equipped with a keyless entry door lock for your "
             "convenience.</p>\n\n<p>Access Code: %s</p>\n\n<p>%.255s (%.255s)</p>\n"
             "<p><b>%.64s - %.64s</b><br/>Access times: %s to %s</p>\n",
             rec_str(rec, "name") ? rec_str(rec, "name") : "",
             pin, rec_str(loc, "name") ? rec_str(loc, "name") : "",
             rec_str(loc, "address") ? rec_str(loc, "address") : "Address not provided",
             rec_str(lock, "model_number") ? rec_str(lock, "model_number") : "",
             rec_str(lock, "serial_number") ? rec_str(lock, "serial_number") : "", from, to);
    cJSON *data = cJSON_CreateObject(), *attrs = cJSON_CreateObject(),
          *links = cJSON_CreateObject();
    int rc = jsonapi_add_str(data, "type", "access_instruction_guest_email_template");
    rc |= jsonapi_add_str(attrs, "subject", "Access instructions");
    rc |= jsonapi_add_str(attrs, "body", body);
    rc |= jsonapi_add_str(attrs, "from_name", rec_str(loc, "name"));
    rc |= jsonapi_add_str(attrs, "reply_to", NULL);
    rc |= jsonapi_add_str(attrs, "cc", NULL);
    rc |= jsonapi_add_str(attrs, "bcc", NULL);
    rc |= jsonapi_add(data, "attributes", attrs);
    rc |= jsonapi_link(links, "self", c->base, "/access_instruction_guest_email_template/preview");
    rc |= jsonapi_add(data, "links", links);
    if (rc) {
        cJSON_Delete(data);
        c->api->doc->internal(c->res);
        return;
    }
    c->api->doc->data(c->res, 200, data);
}
