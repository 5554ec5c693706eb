/*
 * cmd_export.c: `dangjian export members`: write members as CSV or .xlsx
 * with the import's columns. The command line is the operator's: numbers
 * are written in full (so the file imports back), and the export is audited.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "io/member_io.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <fcntl.h>
#include <getopt.h>
#include <unistd.h>

static const char usage[] =
	"usage: dangjian export members [--db PATH|URL] [--org ID] --format csv|xlsx -o FILE [--masked]\n"
	"  writes identity and phone numbers in full unless --masked; FILE is created with mode 0600\n";

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' },
		{ "org", required_argument, 0, 'r' },
		{ "format", required_argument, 0, 'f' },
		{ "output", required_argument, 0, 'o' },
		{ "masked", no_argument, 0, 'm' },
		{ "key-file", required_argument, 0, 'k' },
		{ "config", required_argument, 0, 'c' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct member_query mq = { 0 };
	struct member_io_export_opts o = { 0 };
	struct actor who = { 0, "cli" };
	struct config cfg;
	struct store *st = NULL;
	struct sconn *conn;
	struct err e = ERR_INIT;
	struct arena *a = NULL;
	struct strbuf out = STRBUF_INIT;
	const char *format = NULL, *file = NULL;
	size_t rows;
	char *end;
	int c, rc, fd = -1;

	if ((rc = cli_config(&cfg, argc, argv)))
		return rc;
	o.reveal = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg.db = optarg;
			break;
		case 'r':
			mq.org_id = strtoll(optarg, &end, 10);
			if (*end || mq.org_id <= 0)
				return cli_usage("error: --org takes an organisation id\n");
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			file = optarg;
			break;
		case 'm':
			o.reveal = false;
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
	if (argc - optind != 1 || strcmp(argv[optind], "members") != 0 || !file || !format ||
	    (strcmp(format, "csv") && strcmp(format, "xlsx")))
		return cli_usage(usage);
	o.xlsx = !strcmp(format, "xlsx");
	if ((rc = cli_open_store(&cfg, false, &st)))
		return rc;
	a = arena_new();
	rc = 1;
	if (!(conn = store_conn(st, &e)))
		goto fail;
	if (!mq.org_id) {
		struct org_list l;
		if (store_org_subtree(conn, a, "/", &l, &e) < 0)
			goto fail;
		if (!l.n) {
			rc = cli_error("database '%s' has no organisations", cfg.db);
			goto out;
		}
		o.root_org_id = l.items[0].id;
	} else {
		o.root_org_id = mq.org_id;
	}
	o.query = &mq;
	o.who = &who;
	if (member_io_export(conn, a, &o, &out, &rows, &e) < 0)
		goto fail;
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, out.buf, out.len) != (ssize_t)out.len || close(fd) < 0) {
		rc = cli_error("cannot write '%s': %s", file, strerror(errno));
		goto out;
	}
	printf("%zu members written to '%s'\n", rows, file);
	rc = 0;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	strbuf_release(&out);
	arena_free(a);
	err_release(&e);
	store_free(st);
	return rc;
}
