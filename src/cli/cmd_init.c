/*
 * cmd_init.c: `dangjian init`: create an empty database with a root
 * organisation and an admin account, printing its generated password once.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/crypto.h"
#include "util/err.h"

#include <getopt.h>
#include <unistd.h>

static const char usage[] =
	"usage: dangjian init [--db PATH|URL] [--org-name NAME] [--key-file FILE] [--config FILE]\n"
	"  creates the database, its key file and the user 'admin'; prints the password once\n";

/* 16 characters from all four classes, so it passes the password policy. */
static void make_password(char out[17])
{
	static const char *const classes[] = { "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz",
					       "23456789", "@#%+=_-" };
	unsigned char r[16];

	crypto_random(r, sizeof(r));
	for (int i = 0; i < 16; i++) {
		const char *cl = classes[i < 4 ? i : r[i] % 4];
		out[i] = cl[r[(i + 7) % 16] % strlen(cl)];
	}
	out[16] = '\0';
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, 0, 'd' },       { "org-name", required_argument, 0, 'o' },
		{ "key-file", required_argument, 0, 'k' }, { "config", required_argument, 0, 'c' },
		{ "help", no_argument, 0, 'h' },           { 0, 0, 0, 0 },
	};
	struct config cfg;
	struct store *st = NULL;
	struct sconn *conn;
	struct err e = ERR_INIT;
	struct arena *a = NULL;
	const char *org_name = "本级党委";
	struct org root = { 0 };
	struct user admin = { 0 };
	struct actor who = { 0, "cli" };
	char pw[17], *hash = NULL;
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
		case 'o':
			org_name = optarg;
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
	rc = 1;
	if (!(conn = store_conn(st, &e)) || store_org_count(conn, &n, &e) < 0)
		goto fail;
	if (n > 0) {
		cli_error("database '%s' is already initialised", cfg.db);
		goto out;
	}
	a = arena_new();
	root.name = org_name;
	root.type = ORG_PARTY_COMMITTEE;
	root.field = FIELD_ORGAN;
	admin.username = "admin";
	admin.display_name = "系统管理员";
	admin.role = UROLE_ADMIN;
	make_password(pw);
	hash = crypto_password_hash(pw, (unsigned)cfg.pbkdf2_iterations);
	if (store_begin(conn, &e) < 0 || store_org_insert(conn, a, &root, &e) < 0)
		goto fail;
	admin.org_id = root.id;
	if (store_user_insert(conn, &admin, hash, &e) < 0 ||
	    store_audit(conn, &who, "system.init", "org", root.id, NULL, NULL, &e) < 0 ||
	    store_commit(conn, &e) < 0)
		goto fail;
	printf("initialised '%s'\nadmin password (shown once): %s\n", cfg.db, pw);
	rc = 0;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(hash);
	arena_free(a);
	err_release(&e);
	store_free(st);
	return rc;
}
