/*
 * cmd_import.c: `dangjian import members FILE`: validate every row, report
 * each bad one, write nothing unless all are valid (or --skip-invalid).
 */
#include "util/common.h"
#include "cli/cli.h"
#include "io/member_io.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <sys/stat.h>

static const char usage[] =
	"usage: dangjian import members FILE [--db PATH|URL] [--org ID] [--dry-run] [--skip-invalid]\n"
	"  FILE: .csv (UTF-8, UTF-8 with BOM or GB18030) or .xlsx; columns found by header name\n"
	"  --org ID        organisation for rows without 所在党组织\n"
	"  --dry-run       validate and report only\n"
	"  --skip-invalid  write the valid rows even when others are bad\n";

static int read_file(const char *path, struct strbuf *out)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char buf[65536];
	size_t n;

	if (!f)
		return cli_error("cannot open '%s': %s", path, strerror(errno));
	/* One allocation of the file's size: growing by doubling copied a 300 MB file several times. */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		strbuf_grow(out, (size_t)st.st_size + 1);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(out, buf, n);
	if (ferror(f)) {
		fclose(f);
		return cli_error("cannot read '%s': %s", path, strerror(errno));
	}
	fclose(f);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' },       { "org", required_argument, 0, 'o' },
		{ "dry-run", no_argument, 0, 'n' },        { "skip-invalid", no_argument, 0, 's' },
		{ "key-file", required_argument, 0, 'k' }, { "config", required_argument, 0, 'c' },
		{ "help", no_argument, 0, 'h' },           { 0, 0, 0, 0 },
	};
	struct member_io_import_opts o = { 0 };
	struct member_import_result r;
	struct actor who = { 0, "cli" };
	struct config cfg;
	struct store *st = NULL;
	struct sconn *conn;
	struct err e = ERR_INIT;
	struct arena *a = NULL;
	struct strbuf data = STRBUF_INIT;
	size_t imported = 0;
	char *end;
	int c, rc, y, m, d;

	if ((rc = cli_config(&cfg, argc, argv)))
		return rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg.db = optarg;
			break;
		case 'o':
			o.default_org_id = strtoll(optarg, &end, 10);
			if (*end || o.default_org_id <= 0)
				return cli_usage("error: --org takes an organisation id\n");
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 's':
			o.skip_invalid = true;
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
	if (argc - optind != 2 || strcmp(argv[optind], "members") != 0)
		return cli_usage(usage);
	if ((rc = read_file(argv[optind + 1], &data)))
		goto out;
	if ((rc = cli_open_store(&cfg, false, &st)))
		goto out;
	store_bulk_alone(st, true);
	a = arena_new();
	clock_today(&y, &m, &d);
	o.today = (struct date){ y, m, d };
	o.filename = argv[optind + 1];
	o.min_join_age = (int)cfg.min_join_age;
	o.who = &who;
	memset(&r, 0, sizeof(r));
	rc = 1;
	if (!(conn = store_conn(st, &e))) {
		rc = cli_fail(&e);
		goto out;
	}
	if (member_io_import(conn, a, data.buf, data.len, &o, &r, &imported, &e) < 0 && r.nerrors == 0) {
		rc = cli_fail(&e);
		goto out;
	}
	for (size_t i = 0; i < r.nerrors; i++)
		fprintf(stderr, "%s:%d: %s%s%s\n", o.filename, r.errors[i].line,
			r.errors[i].column && *r.errors[i].column ? r.errors[i].column : "",
			r.errors[i].column && *r.errors[i].column ? ": " : "", r.errors[i].message);
	for (size_t i = 0; i < r.nunknown; i++)
		fprintf(stderr, "%s: unknown column '%s' ignored\n", o.filename, r.unknown_columns[i]);
	printf("%zu rows, %zu valid, %zu invalid, %zu imported%s\n", r.total_rows, r.nmembers,
	       r.ninvalid_rows, imported, o.dry_run ? " (dry run)" : "");
	if (err_is_set(&e)) {
		rc = cli_fail(&e);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&data);
	arena_free(a);
	err_release(&e);
	store_free(st);
	return rc;
}
