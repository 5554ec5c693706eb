/*
 * common.c: helpers the subcommands share: error printing, the config and
 * opening the store.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "store/store.h"
#include "util/err.h"

int cli_fail(const struct err *e)
{
	fprintf(stderr, "error: %s\n", e->message[0] ? e->message : err_kind_code(e->kind));
	return 1;
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_usage(const char *usage)
{
	fprintf(stderr, "%s", usage);
	return 2;
}

int cli_config(struct config *c, int argc, char **argv)
{
	config_defaults(c);
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			v = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			v = argv[i] + 9;
		if (v && config_load_file(c, v) < 0)
			return 2;
	}
	return config_apply_env(c) < 0 ? 2 : 0;
}

int cli_open_store(const struct config *c, bool create, struct store **out)
{
	struct store_opts o = { 0 };
	struct err e = ERR_INIT;
	int rc;

	o.url = c->db;
	o.key_file = c->key_file;
	o.create = create;
	o.pbkdf2_iterations = (unsigned)c->pbkdf2_iterations;
	rc = store_open(&o, out, &e) < 0 ? cli_fail(&e) : 0;
	err_release(&e);
	return rc;
}
