/* A glibc NSS module for tests/pam/canonical.t: the passwd source of a
 * directory that matches names without regard to case, as SSSD or LDAP
 * with case_sensitive = false do, and answers with the name as stored
 * (getpwnam("ELI") gives pw_name "eli"). It plugs into glibc exactly as
 * libnss_sss does: listed in nsswitch.conf ("passwd: files lccasefold"),
 * loaded as libnss_lccasefold.so.2. The passwd file is compiled in
 * (-DLC_NSS_PASSWD="..."): the PAM module looks users up with an empty
 * environment, so a path read from the environment would not be seen. */
#include <errno.h>
#include <nss.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum nss_status _nss_lccasefold_getpwnam_r(const char *name, struct passwd *pw, char *buf,
                                           size_t buflen, int *errnop);

/* Splits "name:pw:uid:gid:gecos:dir:shell" in place. */
static int split(char *line, char *f[7])
{
    line[strcspn(line, "\n")] = '\0';
    for (int i = 0; i < 7; i++) {
        f[i] = line;
        line = strchr(line, ':');
        if (!line)
            return i == 6 ? 0 : -1;
        *line++ = '\0';
    }
    return -1;
}

enum nss_status _nss_lccasefold_getpwnam_r(const char *name, struct passwd *pw, char *buf,
                                           size_t buflen, int *errnop)
{
    char line[1024], *f[7];
    FILE *fp = fopen(LC_NSS_PASSWD, "re");

    if (!fp) {
        *errnop = errno;
        return NSS_STATUS_UNAVAIL;
    }
    while (fgets(line, sizeof line, fp)) {
        size_t need = 0;
        if (split(line, f) != 0 || strcasecmp(f[0], name) != 0)
            continue;
        fclose(fp);
        /* "TRYAGAIN" in the password field: the directory is down. */
        if (strcmp(f[1], "TRYAGAIN") == 0) {
            *errnop = EAGAIN;
            return NSS_STATUS_TRYAGAIN;
        }
        for (int i = 0; i < 7; i++)
            need += strlen(f[i]) + 1;
        if (need > buflen) {
            *errnop = ERANGE;
            return NSS_STATUS_TRYAGAIN;
        }
        char **out[] = { &pw->pw_name, &pw->pw_passwd, NULL, NULL, &pw->pw_gecos, &pw->pw_dir,
                         &pw->pw_shell };
        for (int i = 0; i < 7; i++) {
            size_t n = strlen(f[i]) + 1;
            if (out[i]) {
                *out[i] = memcpy(buf, f[i], n);
                buf += n;
            }
        }
        pw->pw_uid = (uid_t)strtoul(f[2], NULL, 10);
        pw->pw_gid = (gid_t)strtoul(f[3], NULL, 10);
        return NSS_STATUS_SUCCESS;
    }
    fclose(fp);
    *errnop = ENOENT;
    return NSS_STATUS_NOTFOUND;
}
