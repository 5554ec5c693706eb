/*
 * cmd_serve.c: `dangjian serve`: open (or with --demo create) the database
 * and serve the API and web console until SIGINT/SIGTERM.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "http/server.h"
#include "store/store.h"
#include "util/err.h"

#include <getopt.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: dangjian serve [--db PATH|URL] [--listen HOST:PORT] [--demo] [--web-root DIR]\n"
	"                      [--key-file FILE] [--config FILE]\n"
	"  --demo      create the demo database first when PATH does not exist\n";

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* web/dist beside the program (build/dangjian -> ../web/dist), else ./web/dist. */
static const char *default_web_root(char *buf, size_t cap)
{
	char exe[PATH_MAX - 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, cap, "%s/../web/dist", exe);
			if (is_dir(buf))
				return buf;
		}
	}
	return "web/dist";
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' },       { "listen", required_argument, 0, 'l' },
		{ "demo", no_argument, 0, 'D' },           { "web-root", required_argument, 0, 'w' },
		{ "key-file", required_argument, 0, 'k' }, { "config", required_argument, 0, 'c' },
		{ "help", no_argument, 0, 'h' },           { 0, 0, 0, 0 },
	};
	struct config cfg;
	struct server_config sc;
	struct store *st = NULL;
	struct err e = ERR_INIT;
	char webbuf[PATH_MAX], files_buf[PATH_MAX];
	bool demo = false, fresh = false;
	int c, rc;

	if ((rc = cli_config(&cfg, argc, argv)))
		return rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg.db = optarg;
			break;
		case 'l':
			cfg.listen = optarg;
			break;
		case 'D':
			demo = true;
			break;
		case 'w':
			cfg.web_root = optarg;
			break;
		case 'k':
			cfg.key_file = optarg;
			break;
		case 'c':
			break;
		case 'h':
			printf("%s", usage);
			config_print_help();
			return 0;
		default:
			return cli_usage(usage);
		}
	}
	if (optind < argc)
		return cli_usage(usage);
	if (demo && strncmp(cfg.db, "postgres", 8) != 0 && access(cfg.db, F_OK) != 0)
		fresh = true;
	if ((rc = cli_open_store(&cfg, demo, &st)))
		return rc;
	if (cfg.session_cache)
		store_watch_sessions(st);
	if (demo) {
		int64_t n = 0;
		struct sconn *conn = store_conn(st, &e);
		if (!conn || store_org_count(conn, &n, &e) < 0) {
			rc = cli_fail(&e);
			goto out;
		}
		if (n == 0) {
			fresh = true;
			if (demo_build(st, 3000, 2026, &e) < 0) {
				rc = cli_fail(&e);
				goto out;
			}
		}
	}
	server_config_default(&sc);
	sc.listen = cfg.listen;
	sc.web_root = cfg.web_root ? cfg.web_root : default_web_root(webbuf, sizeof(webbuf));
	sc.threads = (int)cfg.threads;
	sc.session_idle_minutes = (int)cfg.session_idle_minutes;
	sc.lockout_failures = (int)cfg.lockout_failures;
	sc.lockout_window_minutes = (int)cfg.lockout_window_minutes;
	sc.lockout_minutes = (int)cfg.lockout_minutes;
	sc.min_join_age = (int)cfg.min_join_age;
	sc.access_log = (int)cfg.access_log;
	sc.banner = demo ? DEMO_BANNER : NULL;
	if (cfg.files_dir)
		sc.files_dir = cfg.files_dir;
	else if (strncmp(cfg.db, "postgres", 8) != 0) {
		snprintf(files_buf, sizeof(files_buf), "%s.files", cfg.db);
		sc.files_dir = files_buf;
	}
	sc.dues.retired_base_policy = enum_from_json(dues_retired_base_enum, cfg.dues_retired_base);
	sc.dues.rebase_policy = enum_from_json(dues_rebase_enum, cfg.dues_rebase);
	sc.dues.rounding_unit_fen = (int)cfg.dues_rounding_unit_fen;
	sc.dues.farmer_amount_fen = (int)cfg.dues_farmer_amount_fen;
	sc.dues.max_prepay_months = (int)cfg.dues_max_prepay_months;
	sc.dues.max_arrears_months = (int)cfg.dues_max_arrears_months;
	sc.meetings.general_quorum_strict = cfg.meeting_general_quorum_strict != 0;
	sc.transfers.validity_days = (int)cfg.letter_validity_days;
	sc.transfers.cross_province_days = (int)cfg.letter_validity_cross_province_days;
	sc.transfers.receipt_days = (int)cfg.receipt_days;
	if (meeting_settings_parse(&sc.meetings, cfg.meeting_rules, &e) < 0) {
		rc = cli_error("invalid setting 'meeting_rules': %s", e.message);
		goto out;
	}
	if (dev_rules_parse(&sc.dev2014, &sc.dev2026, cfg.dev_rules, &e) < 0) {
		rc = cli_error("invalid setting 'dev_rules': %s",
			       e.nfields ? e.fields[0].message : e.message);
		goto out;
	}
	if (cfg.dev_rule_version != 0 && cfg.dev_rule_version != 2014 && cfg.dev_rule_version != 2026) {
		rc = cli_error("invalid setting 'dev_rule_version': %ld (2014, 2026, or 0 for by date)",
			       cfg.dev_rule_version);
		goto out;
	}
	sc.dev_rule_version_default = (int)cfg.dev_rule_version;
	if (dues_settings_check(&sc.dues, &e) < 0) {
		rc = cli_error("invalid dues setting '%s': %s (see dangjian serve --help)",
			       e.nfields ? e.fields[0].name : "?", e.message);
		goto out;
	}
	UNUSED(fresh);
	/* The workers open their own connections. On SQLite this thread keeps its own for the
	 * server's life: an open connection marks the database as in use, so a command-line bulk
	 * load run meanwhile keeps the WAL and the workers go on reading (store_bulk_alone). */
	if (store_backend(st) == DB_PG || !store_conn(st, &e))
		store_conn_release(st);
	rc = server_run(&sc, st) < 0 ? 1 : 0;
out:
	err_release(&e);
	store_free(st);
	return rc;
}
