/* Devices beyond lock and unlock, through the resource boundary:
 * registration (type from the body, the model or the default lock),
 * settings and their checks, a connector's configuration, temporary
 * unlock (and its documented 404), v1 power plugs, and what deregistering
 * takes along. */
#include "test_store_harness.h"

#define RESORT_MODEL "80000000-0000-4000-8000-000000000003"

static void registration(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "POST", "/devices",
           "{\"attributes\":{\"name\":\"Shed\",\"serial_number\":\"AC000W000000901\","
           "\"location_id\":\"" L(1) "\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.type"), "lock") == 0 &&
           strcmp(h_str(&h, "data.attributes.location_name"), "Harbor View") == 0,
       "registered by serial number: a lock (%d %s)", h.status, h_str(&h, "data.type"));
    h_call(&h, "POST", "/devices",
           "{\"attributes\":{\"name\":\"Cabin 9\",\"serial_number\":\"AB57EF010F4FBE09\","
           "\"location_id\":\"" L(2) "\",\"model_id\":\"" RESORT_MODEL "\","
           "\"default_guest_start_time\":\"16:00\"}}");
    ok(h.status == 201 && strcmp(h_str(&h, "data.type"), "resort_lock") == 0 &&
           strcmp(h_str(&h, "data.attributes.default_guest_start_time"), "16:00:00") == 0 &&
           strcmp(h_str(&h, "data.links.model"), H_BASE "/models/" RESORT_MODEL) == 0,
       "the model's device type: a resort lock");
    char keys[1024];
    h_keys(h_get(h.body, "data.links"), keys, sizeof keys);
    ok(strcmp(keys, "self,model,location") == 0, "resort lock links as documented (%s)", keys);
    h_call(&h, "POST", "/devices",
           "{\"type\":\"zwave_lock\",\"attributes\":{\"name\":\"Back\",\"location_id\":\"" L(1)
           "\"}}");
    h_keys(h_get(h.body, "data.links"), keys, sizeof keys);
    ok(h.status == 201 && strcmp(h_str(&h, "data.type"), "zwave_lock") == 0 &&
           strcmp(keys, "self,location") == 0,
       "the body's type: a zwave lock, location linked (%s)", keys);
    h_call(&h, "POST", "/devices",
           "{\"type\":\"teleporter\",\"attributes\":{\"name\":\"X\",\"location_id\":\"" L(1) "\"}}");
    ok(h_has_error(&h, "type"), "an unknown type: 422 type");
    h_call(&h, "POST", "/devices", "{\"attributes\":{\"name\":\"X\",\"location_id\":\"" L(1) "\"}}");
    ok(h_has_error(&h, "serial_number"), "a lock needs its serial number");
    h_call(&h, "POST", "/devices",
           "{\"attributes\":{\"name\":\"X\",\"serial_number\":\"20F85E00HV01\","
           "\"location_id\":\"" L(1) "\"}}");
    ok(h.status == 409 && strcmp(h_str(&h, "type"), "duplicate_resource") == 0,
       "registering a registered serial number: 409 Duplicate resource");
    h_call(&h, "PUT", "/devices/" D(2), "{\"attributes\":{\"serial_number\":\"20F85E00HV01\"}}");
    ok(h_has_error(&h, "serial_number"), "a serial number names one device: 422 on update");
    h_call(&h, "PUT", "/devices/" D(1), "{\"attributes\":{\"serial_number\":\"20F85E00HV01\"}}");
    ok(h.status == 200, "a device keeps its own serial number");
    h_call(&h, "POST", "/devices",
           "{\"attributes\":{\"name\":\"X\",\"serial_number\":\"S1\",\"location_id\":\"nowhere\"}}");
    ok(h_has_error(&h, "location_id"), "an unknown location: 422");
    h_call(&h, "GET", "/devices?type=lock", NULL);
    ok(h_count(&h) == 4, "refused registrations added nothing (%d locks)", h_count(&h));
    h_free(&h);
}

static void settings(void)
{
    harness h;
    h_init(&h);
    const char *dev = "/devices/" D(1);
    h_call(&h, "PUT", dev, "{\"attributes\":{\"heartbeat_interval\":\"often\"}}");
    ok(h_has_error(&h, "heartbeat_interval"), "heartbeat_interval must be a number");
    h_call(&h, "PUT", dev, "{\"attributes\":{\"wake_wifi\":\"always\"}}");
    ok(h_has_error(&h, "wake_wifi"), "wake_wifi is one of the documented values");
    h_call(&h, "PUT", dev, "{\"attributes\":{\"power_source\":\"solar\"}}");
    ok(h_has_error(&h, "power_source"), "power_source is one of the documented values");
    h_call(&h, "PUT", dev, "{\"attributes\":{\"local_pins\":[\"0999\",\"1234\",\"5555\"]}}");
    ok(h_has_error(&h, "local_pins"), "local PINs: adding one is refused");
    h_call(&h, "PUT", dev,
           "{\"attributes\":{\"local_pins\":[\"1234\"],\"heartbeat_interval\":600,"
           "\"wake_wifi\":\"heartbeat_interval\",\"muted\":true,\"model_id\":\"other\"}}");
    ok(h.status == 200 && cJSON_GetArraySize(h_get(h.body, "data.attributes.local_pins")) == 1 &&
           h_num(&h, "data.attributes.heartbeat_interval") == 600 &&
           strcmp(h_str(&h, "data.attributes.wake_wifi"), "heartbeat_interval") == 0 &&
           cJSON_IsTrue(h_get(h.body, "data.attributes.muted")) &&
           strcmp(h_str(&h, "data.attributes.model_id"), "80000000-0000-4000-8000-000000000001") == 0,
       "settings stored, a PIN removed, the model kept");

    const char *connector = "/devices/" D(5);
    h_call(&h, "PUT", connector, "{\"attributes\":{\"configuration\":{\"relock\":31}}}");
    ok(h_has_error(&h, "configuration"), "relock beyond its configurability maximum: 422");
    h_call(&h, "PUT", connector, "{\"attributes\":{\"configuration\":{\"chime\":true}}}");
    ok(h_has_error(&h, "configuration"), "a field the configurability does not name: 422");
    h_call(&h, "PUT", connector, "{\"attributes\":{\"configuration\":{\"relock\":7}}}");
    ok(h.status == 200 && !h_get(h.body, "data.attributes.configuration"),
       "a configuration update; not rendered as an attribute");
    h_call(&h, "GET", "/devices/" D(5) "/configuration", NULL);
    ok(h.status == 200 && h_num(&h, "relock") == 7 &&
           strcmp(h_str(&h, "led_standby_color"), "amber") == 0,
       "the configuration merges the update");
    h_call(&h, "GET", "/devices/" D(5) "/configurability", NULL);
    ok(h.status == 200 && cJSON_GetArraySize(h_get(h.body, "attributes")) == 2 &&
           strcmp(h_str(&h, "name"), "model configurability") == 0,
       "a connector lock's configurability");
    h_call(&h, "GET", "/devices/" D(1) "/configurability", NULL);
    ok(h.status == 404, "a lock has no configurability: 404");
    h_call(&h, "GET", "/devices/" D(1) "/configuration", NULL);
    ok(h.status == 404, "nor a configuration");
    h_free(&h);
}

static void temporary_unlock_and_power(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "PUT", "/devices/" D(4) "/temporary_unlock", NULL);
    ok(h.status == 200 && strcmp(h_str(&h, "data.attributes.state"), "unlocked") == 0,
       "ACS door temporarily unlocked");
    h_call(&h, "GET", "/events", NULL);
    ok(strcmp(h_str(&h, "data.0.type"), "unlocked_event") == 0 &&
           strcmp(h_str(&h, "data.0.attributes.publisher_id"), D(4)) == 0,
       "an unlocked event of the door");
    h_call(&h, "PUT", "/devices/" D(1) "/temporary_unlock", NULL);
    ok(h_has_error(&h, NULL), "a lock has no temporary unlock: 422");
    h_call(&h, "PUT", "/devices/" D(5) "/temporary_unlock/" P(1), "{\"pin\":\"1111\"}");
    ok(h.status == 200, "Avery reaches the connector lock through Harbor View");
    h_call(&h, "PUT", "/devices/" D(4) "/temporary_unlock/" P(3), "{\"pin\":\"1111\"}");
    ok(h.status == 404 && strcmp(h_str(&h, "type"), "missing_access_person_device") == 0 &&
           strcmp(h_str(&h, "message"), "Access person does not have access to this device") == 0,
       "a person without access: the documented 404");

    ok(h_call(&h, "PUT", "/devices/" D(6) "/power_on", NULL) == 0,
       "power_on is LockState v1 only: no route in the current API (404)");
    h.flavour = SIM_FLAVOUR_V1;
    h_call(&h, "PUT", "/devices/" D(6) "/power_on", NULL);
    ok(h.status == 200 && cJSON_IsTrue(h_get(h.body, "data.attributes.on")), "v1: plug powered on");
    h_call(&h, "PUT", "/devices/" D(6) "/power_off", NULL);
    ok(h.status == 200 && cJSON_IsFalse(h_get(h.body, "data.attributes.on")), "v1: and off");
    h_call(&h, "PUT", "/devices/" D(1) "/power_on", NULL);
    ok(h_has_error(&h, NULL), "v1: a lock has no power switch: 422");
    h_free(&h);
}

static void deregistering(void)
{
    harness h;
    h_init(&h);
    h_call(&h, "GET", "/devices/" D(6) "/access_person_accesses", NULL);
    ok(h.status == 200 && h_count(&h) == 0, "a location grant does not reach the porch light");
    h_call(&h, "DELETE", "/devices/" D(1), "{\"audited\":true}");
    ok(h.status == 204 && !h.body, "deregister the Front Door: 204");
    h_call(&h, "GET", "/devices/" D(1), NULL);
    ok(h.status == 404, "then it is gone");
    h_call(&h, "GET", "/access_persons/" P(2) "/accesses", NULL);
    ok(h.status == 200 && h_count(&h) == 1 &&
           strcmp(h_str(&h, "data.0.attributes.accessible_id"), D(4)) == 0,
       "the grants naming it went with it (Casey keeps the Lobby Door)");
    h_call(&h, "GET", "/access_persons/" P(1) "/accesses", NULL);
    ok(h_count(&h) == 1, "a location grant stays");
    h_call(&h, "GET", "/events/" E(1), NULL);
    ok(h.status == 404, "its events went with it");
    h_call(&h, "GET", "/notifications/" N(1), NULL);
    ok(h.status == 404, "and their notifications");
    h_call(&h, "GET", "/events/" E(3), NULL);
    ok(h.status == 200, "another lock's events stay");
    h_call(&h, "DELETE", "/devices/" D(7), NULL);
    h_call(&h, "GET", "/resort_lock_guests", NULL);
    ok(h.status == 200 && h_count(&h) == 0, "a resort lock's guests go with it");
    h_free(&h);
}

int main(void)
{
    registration();
    settings();
    temporary_unlock_and_power();
    deregistering();
    return tap_done();
}
