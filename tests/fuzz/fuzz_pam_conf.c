/* Fuzzes the PAM module configuration parser (lcpam_conf_parse). A config
 * that parses must be complete and within every documented bound; a
 * refused one leaves nothing allocated and a printable message. */
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "fuzz_util.h"
#include "lines.h"

static void check_url(const char *u)
{
    if (u) {
        FZ_ASSERT(strncmp(u, "https://", 8) == 0 && u[8] != '\0');
        FZ_ASSERT(!strpbrk(u, " \t"));
    }
}

static void check_path(const char *p)
{
    if (p)
        FZ_ASSERT(p[0] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[LCPAM_ERR_MAX];
    lcpam_conf conf;
    char *text;

    /* lcpam_file_load refuses NUL bytes and files over the cap. */
    if (size > LCPAM_FILE_MAX || memchr(data, '\0', size))
        return 0;
    text = fz_cstr(data, size);
    err[0] = '\0';
    if (lcpam_conf_parse(text, &conf, err, sizeof err) == 0) {
        FZ_ASSERT(conf.credentials_file && conf.map_file);
        check_url(conf.api_url);
        check_url(conf.auth_url);
        check_path(conf.cafile);
        check_path(conf.credentials_file);
        check_path(conf.token_file);
        check_path(conf.map_file);
        FZ_ASSERT(conf.failmode == LCPAM_FAIL_SECURE || conf.failmode == LCPAM_FAIL_SAFE);
        FZ_ASSERT(conf.timeout_s >= 1 && conf.timeout_s <= LCPAM_MAX_TIMEOUT_S);
        FZ_ASSERT(conf.rule.kind == LC_RULE_GUEST_CURRENT);
        lcpam_conf_free(&conf);
    } else {
        FZ_ASSERT(err[0] != '\0');
        fz_check_text(err, sizeof err);
        FZ_ASSERT(!conf.api_url && !conf.auth_url && !conf.cafile && !conf.credentials_file &&
                  !conf.token_file && !conf.map_file);
    }
    free(text);
    return 0;
}
