/* Registering devices and their settings: the type a registration makes
 * (the body's "type", else the model's device type, else an OpenEdge
 * "lock", the documented registration by serial number), the settings the
 * schema's input kinds cannot check (numbers, choices, local PINs) and a
 * connector's configuration, checked against its configurability (the
 * documented Connector Lock schema) and answered as a plain object. */
#include <stdio.h>
#include <string.h>
#include "remotelock.h"
#include "resources_schema.h"

/* The documented configurability of a Connector Lock model: what
 * GET /devices/:id/configurability answers and what a configuration may
 * hold. */
static const char connector_lock_configurability[] =
    "{\"name\":\"model configurability\",\"version\":1,\"attributes\":["
    "{\"name\":\"relock\",\"type\":\"number\",\"maximum\":30,\"minimum\":1,"
    "\"label\":\"Relock\",\"description\":\"Relock time in seconds\"},"
    "{\"name\":\"led_standby_color\",\"type\":\"select\","
    "\"options\":[\"off\",\"red\",\"green\",\"amber\"],\"label\":\"Standby LED Color\"}],"
    "\"description\":\"description\",\"lastUpdatedAt\":\"2024-03-22T13:11:11.601Z\"}";

static int has_attr(const cJSON *rec, const char *key)
{
    return schema_attr(schema_find(rec_type(rec)), key) != NULL;
}

/* ---- registration ------------------------------------------------------ */

/* The device type a model makes, when the model is known. */
static const char *model_device_type(res_ctx *c, const char *model_id)
{
    const res_def *models = res_def_find(c->api, "models");
    const cJSON *model = models && model_id ? res_find(c->d, c->api, models, model_id) : NULL;
    return rec_str(model, "device_type");
}

/* GET <device>/access_person_accesses (devices and v1 ACS doors): the
 * grants reaching the device, through its location or a door group too,
 * as the documented lists show. 1 when it answered. */
static int device_accesses(res_ctx *c, const res_def *def)
{
    if (c->nseg != 3 || strcmp(c->seg[2], "access_person_accesses") != 0)
        return 0;
    const cJSON *dev = res_find(c->d, c->api, def, c->seg[1]);
    int in_row = 0;
    for (const char *const *t = def->types; dev && t && *t; t++)
        in_row |= strcmp(*t, rec_type(dev)) == 0;
    if (!in_row || strcmp(c->req->method, "GET") != 0 || c->req->text_body)
        c->api->doc->not_found(c->res);
    else
        rl_device_accesses(c, dev);
    return 1;
}

/* The device other than self (NULL: none; matched by id, as updates
 * check a copy) registered with this serial number, or NULL. */
static const cJSON *registered(res_ctx *c, const cJSON *self, const char *serial)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, (serial ? rl_list(c->d, "devices") : NULL)) {
        const char *other = rec_str(d, "serial_number");
        if (self && (d == self || strcmp(rec_id(d), rec_id(self)) == 0))
            continue;
        if (other && strcmp(other, serial) == 0)
            return d;
    }
    return NULL;
}

/* POST /devices: registering hardware already registered is the status
 * table's "POST Duplicate resource" (409). The engine creates a record of
 * the body's "type"; a body without one (every documented registration)
 * gets the model's device type, else "lock". Other paths route
 * generically. */
int rl_device_route(res_ctx *c, const res_def *def)
{
    const cJSON *body = c->req->body;
    if (device_accesses(c, def))
        return 1;
    if (c->nseg != 1 || strcmp(c->req->method, "POST") != 0 || !cJSON_IsObject(body) ||
        def->source)
        return 0;
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(body, "attributes");
    const char *serial =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attrs, "serial_number"));
    if (cJSON_IsObject(attrs) && serial && *serial && registered(c, NULL, serial)) {
        jsonapi_respond_general(c->res, 409, "Duplicate resource", "duplicate_resource");
        return 1;
    }
    if (cJSON_GetObjectItemCaseSensitive(body, "type"))
        return 0;
    const char *type = model_device_type(
        c, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(attrs, "model_id")));
    cJSON *typed = cJSON_Duplicate(body, 1);
    if (!typed || jsonapi_add_str(typed, "type", type ? type : "lock")) {
        cJSON_Delete(typed);
        c->api->doc->internal(c->res);
        return 1;
    }
    sim_request rq = *c->req;
    const sim_request *sent = c->req;
    rq.body = typed;
    c->req = &rq;
    res_op_create(c, def, NULL);
    c->req = sent;
    cJSON_Delete(typed);
    return 1;
}

/* ---- settings ---------------------------------------------------------- */

static int one_of(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* An integer setting within [min, max]. */
static int apply_int(cJSON *rec, const cJSON *attrs, const char *key, double min, double max,
                     jsonapi_errors *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    if (!v || !has_attr(rec, key))
        return 0;
    double n = cJSON_IsNumber(v) ? v->valuedouble : -1;
    if (!cJSON_IsNumber(v) || n != (double)(long)n || n < min || n > max) {
        jsonapi_error_add(e, key, "is invalid");
        return 0;
    }
    return rec_set(rec, key, cJSON_CreateNumber(n));
}

static int apply_choice(cJSON *rec, const cJSON *attrs, const char *key,
                        const char *const *choices, jsonapi_errors *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    if (!v || !has_attr(rec, key))
        return 0;
    if (!one_of(cJSON_GetStringValue(v), choices)) {
        jsonapi_error_add(e, key, "is not included in the list");
        return 0;
    }
    return rec_set_str(rec, key, v->valuestring);
}

/* "Array of PINs programmed via the device keypad. This is a set
 * operation. Only PIN removal is supported." */
static int apply_local_pins(cJSON *rec, const cJSON *attrs, jsonapi_errors *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, "local_pins"), *pin;
    if (!v || !has_attr(rec, "local_pins"))
        return 0;
    const cJSON *now = cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), "local_pins");
    int ok = cJSON_IsArray(v);
    cJSON_ArrayForEach(pin, (ok ? v : NULL)) {
        int kept = 0;
        const cJSON *had;
        cJSON_ArrayForEach(had, now)
            kept |= cJSON_IsString(pin) && cJSON_IsString(had) &&
                    strcmp(pin->valuestring, had->valuestring) == 0;
        ok &= kept;
    }
    if (!ok) {
        jsonapi_error_add(e, "local_pins", "can only remove PINs programmed at the lock");
        return 0;
    }
    return rec_set(rec, "local_pins", cJSON_Duplicate(v, 1));
}

/* A value the configurability attribute spec allows. */
static int config_value_ok(const cJSON *spec, const cJSON *v)
{
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(spec, "type"));
    if (type && strcmp(type, "number") == 0) {
        const cJSON *min = cJSON_GetObjectItemCaseSensitive(spec, "minimum");
        const cJSON *max = cJSON_GetObjectItemCaseSensitive(spec, "maximum");
        return cJSON_IsNumber(v) && (!min || v->valuedouble >= min->valuedouble) &&
               (!max || v->valuedouble <= max->valuedouble);
    }
    const cJSON *opt;
    cJSON_ArrayForEach(opt, cJSON_GetObjectItemCaseSensitive(spec, "options"))
        if (cJSON_IsString(v) && cJSON_IsString(opt) && strcmp(opt->valuestring, v->valuestring) == 0)
            return 1;
    return 0;
}

/* Why a configuration does not fit the device's type, or NULL. Connector
 * Locks follow their configurability; other connectors (thermostats)
 * document none, so any flat object of scalars passes. */
static const char *config_fault(const cJSON *rec, const cJSON *config)
{
    if (!cJSON_IsObject(config))
        return "must be an object";
    cJSON *schema = strcmp(rec_type(rec), "connector_lock") == 0
                        ? cJSON_Parse(connector_lock_configurability)
                        : NULL;
    const char *fault = NULL;
    const cJSON *v;
    cJSON_ArrayForEach(v, config) {
        const cJSON *spec = NULL, *a;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(schema, "attributes")) {
            const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "name"));
            if (name && strcmp(name, v->string) == 0)
                spec = a;
        }
        if (schema ? !spec || !config_value_ok(spec, v)
                   : cJSON_IsObject(v) || cJSON_IsArray(v))
            fault = "is invalid";
    }
    cJSON_Delete(schema);
    return fault;
}

/* "configuration": merged into the stored one (an update names only the
 * fields it changes). */
static int apply_configuration(cJSON *rec, const cJSON *attrs, jsonapi_errors *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, "configuration"), *f;
    if (!v || !has_attr(rec, "configuration"))
        return 0;
    const char *fault = config_fault(rec, v);
    if (fault) {
        jsonapi_error_add(e, "configuration", fault);
        return 0;
    }
    cJSON *merged = cJSON_Duplicate(
        cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), "configuration"), 1);
    int rc = merged ? 0 : -1;
    cJSON_ArrayForEach(f, v)
        rc |= jsonapi_put(merged, f->string, cJSON_Duplicate(f, 1));
    if (rc) {
        cJSON_Delete(merged);
        return -1;
    }
    return rec_set(rec, "configuration", merged);
}

int rl_device_apply(res_ctx *c, cJSON *rec, const cJSON *attrs, jsonapi_errors *e)
{
    static const char *const wake_wifi[] = {"user_action", "heartbeat_interval",
                                            "user_action_except_manual", NULL};
    static const char *const power_sources[] = {"hardwire", "alkaline_battery",
                                                "lithium_battery", NULL};
    (void)c;
    int rc = apply_int(rec, attrs, "heartbeat_interval", 1, 86400, e);
    rc |= apply_int(rec, attrs, "auto_lock_timeout", 0, 86400, e);
    rc |= apply_choice(rec, attrs, "wake_wifi", wake_wifi, e);
    rc |= apply_choice(rec, attrs, "power_source", power_sources, e);
    rc |= apply_local_pins(rec, attrs, e);
    rc |= apply_configuration(rec, attrs, e);
    return rc ? -1 : 0;
}

/* The types registered by their serial number ("required" in their
 * registration parameters); a fixture may leave it out. */
static const char *const by_serial[] = {"lock", "resort_lock", "power_plug", "thermostat", NULL};

/* A serial number is unique among devices (it names the hardware). */
void rl_device_validate(res_ctx *c, const cJSON *rec, jsonapi_errors *e)
{
    const char *serial = rec_str(rec, "serial_number");
    if (!serial && rec_id(rec)[0] == '\0' && one_of(rec_type(rec), by_serial))
        jsonapi_error_add(e, "serial_number", "can't be blank"); /* a registration */
    else if (registered(c, rec, serial))
        jsonapi_error_add(e, "serial_number", "has already been taken");
}

int rl_device_load(store_data *d, cJSON *rec, char *msg, size_t msglen)
{
    (void)d;
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), "configuration");
    const char *fault = has_attr(rec, "configuration") ? config_fault(rec, config) : NULL;
    if (fault)
        snprintf(msg, msglen, "configuration %s for a %s", fault, rec_type(rec));
    return fault ? -1 : 0;
}

/* ---- a connector's configuration ---------------------------------------- */

void rl_device_configurability(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)arg;
    if (strcmp(rec_type(rec), "connector_lock") != 0) {
        c->api->doc->not_found(c->res);
        return;
    }
    cJSON *doc = cJSON_Parse(connector_lock_configurability);
    if (!doc) {
        c->api->doc->internal(c->res);
        return;
    }
    c->res->status = 200;
    c->res->body = doc;
}

void rl_device_configuration(res_ctx *c, cJSON *rec, const char *arg)
{
    (void)arg;
    if (!has_attr(rec, "configuration")) {
        c->api->doc->not_found(c->res);
        return;
    }
    cJSON *doc = cJSON_Duplicate(
        cJSON_GetObjectItemCaseSensitive(rec_attrs(rec), "configuration"), 1);
    if (!doc) {
        c->api->doc->internal(c->res);
        return;
    }
    c->res->status = 200;
    c->res->body = doc;
}
