/* lockcloud: the admin command of pam_lockcloud (lockcloud(1)). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: lockcloud SUBCOMMAND [OPTIONS]\n"
    "\n"
    "  check USER [--service S] [--json] [--verbose] [--config FILE]\n"
    "        the decision a login of USER would get, and why (no login)\n"
    "  guests [--json] [--status S] [--config FILE]\n"
    "        list access persons with the ids the map file takes\n"
    "  sync [--dry-run] [--json] [--config FILE]\n"
    "        build the identity index from the configured identity pattern\n"
    "  sweep [--dry-run] [--json] [--config FILE]\n"
    "        end (through logind) the sessions of users a login would now refuse\n"
    "\n"
    "  --help, -h     this text (also after a subcommand)\n"
    "  --version      the version\n"
    "\n"
    "Exit status: 0 done, 1 runtime failure, 2 usage or configuration error;\n"
    "check: 0 allowed, 3 denied, 4 unmapped. See lockcloud(1).\n";

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    { "check", lccli_check },
    { "guests", lccli_guests },
    { "sync", lccli_sync },
    { "sweep", lccli_sweep },
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return LCCLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage_text, stdout);
        return LCCLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("lockcloud %s\n", LOCKCLOUD_VERSION);
        return LCCLI_OK;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    /* argv[1] is not echoed: it may hold terminal escapes. */
    if (argv[1][0] == '-')
        lccli_msg("unknown option (see lockcloud --help)");
    else
        lccli_msg("unknown subcommand (see lockcloud --help)");
    return LCCLI_USAGE;
}
