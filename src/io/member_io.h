/*
 * member_io.h: member import and export against the store, shared by the
 * HTTP handlers and the command line: read and validate a whole file, then
 * write it in one transaction (all rows, or with skip_invalid the valid
 * ones), each member with a history entry and an audit row; and export a
 * filtered member list with organisation paths that import back.
 */
#ifndef DJ_IO_MEMBER_IO_H
#define DJ_IO_MEMBER_IO_H

#include "io/member_import.h"
#include "store/store.h"

struct strbuf;

struct member_io_import_opts {
	const char *scope;      /* caller's subtree path; NULL = everything */
	int64_t default_org_id; /* for rows without 所在党组织 (0: none) */
	bool dry_run;           /* validate only */
	bool skip_invalid;      /* write the valid rows even when others are bad */
	const char *filename;   /* for the history entries; may be NULL */
	struct date today;
	int min_join_age;
	const struct actor *who;
};

/*
 * Imports data[0..len). Fills *r with the report and *imported with the
 * rows written. Returns 0, or -1 with e set: a file-level problem or, when
 * rows are bad and !skip_invalid, ERR_VALIDATION "import_invalid" (nothing
 * written either way).
 */
int member_io_import(struct sconn *c, struct arena *a, const char *data, size_t len,
		     const struct member_io_import_opts *o, struct member_import_result *r, size_t *imported,
		     struct err *e);

struct member_io_export_opts {
	const struct member_query *query; /* scope, org, filters; unpaged is forced */
	int64_t root_org_id;              /* organisation whose subtree is exported */
	bool reveal;                      /* plain identity and phone numbers */
	bool xlsx;                        /* else CSV */
	const struct actor *who;
};

/* Appends the file to out, audits the export. *rows_out = members written. */
int member_io_export(struct sconn *c, struct arena *a, const struct member_io_export_opts *o,
		     struct strbuf *out, size_t *rows_out, struct err *e);

#endif
