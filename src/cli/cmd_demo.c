/*
 * cmd_demo.c: `dangjian demo`: create the deterministic demo data set in a
 * new (empty) database.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "store/store.h"
#include "util/err.h"

#include <getopt.h>

static const char usage[] =
	"usage: dangjian demo [--db PATH|URL] [--members N] [--seed S] [--key-file FILE] [--config FILE]\n"
	"  same seed, same data; demo logins admin, secretary and auditor, password " DEMO_PASSWORD "\n";

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' },
		{ "members", required_argument, 0, 'm' },
		{ "seed", required_argument, 0, 's' },
		{ "key-file", required_argument, 0, 'k' },
		{ "config", required_argument, 0, 'c' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct config cfg;
	struct store *st = NULL;
	struct sconn *conn;
	struct err e = ERR_INIT;
	long members = 3000;
	unsigned long long seed = 2026;
	char *end;
	int64_t n;
	int c, rc;

	if ((rc = cli_config(&cfg, argc, argv)))
		return rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg.db = optarg;
			break;
		case 'm':
			members = strtol(optarg, &end, 10);
			if (*end || members < 1 || members > 20000000)
				return cli_usage("error: --members must be from 1 to 20000000\n");
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*end)
				return cli_usage("error: --seed must be a whole number\n");
			break;
		case 'k':
			cfg.key_file = optarg;
			break;
		case 'c':
			break;
		case 'h':
			printf("%s", usage);
			return 0;
		default:
			return cli_usage(usage);
		}
	}
	if (optind < argc)
		return cli_usage(usage);
	if ((rc = cli_open_store(&cfg, true, &st)))
		return rc;
	store_bulk_alone(st, true);
	if (!(conn = store_conn(st, &e)) || store_org_count(conn, &n, &e) < 0) {
		rc = cli_fail(&e);
	} else if (n > 0) {
		rc = cli_error("database '%s' already has data", cfg.db);
	} else if (demo_build(st, (int)members, seed, &e) < 0) {
		rc = cli_fail(&e);
	} else {
		printf("%s", DEMO_BANNER);
		rc = 0;
	}
	err_release(&e);
	store_free(st);
	return rc;
}
