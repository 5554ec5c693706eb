/*
 * main.c: the command table (git's commands[]) and dispatch.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "util/json_alloc.h"
#include "util/log.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "serve", cmd_serve, "serve the API and the web console" },
	{ "init", cmd_init, "create an empty database and print the admin password" },
	{ "demo", cmd_demo, "create the deterministic demo data set" },
	{ "import", cmd_import, "import members from CSV or .xlsx" },
	{ "export", cmd_export, "export members to CSV or .xlsx" },
	{ "backup", cmd_backup, "write a consistent copy of the database" },
	{ "check", cmd_check, "check the database's integrity" },
	{ "audit", cmd_audit, "verify the audit trail's hash chain" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: dangjian <command> [options]   (dangjian <command> --help for details)\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n  --help     this text\n  --version  print the version\n");
}

int main(int argc, char **argv)
{
	log_init_from_env();
	json_alloc_install();
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("dangjian %s\n", DJ_VERSION);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "error: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
