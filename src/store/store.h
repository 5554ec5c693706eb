/*
 * store.h: the only storage API that http/ and cli/ see. Rows become core
 * structs here; SQL never leaves store/. Backends: SQLite (a file path)
 * and PostgreSQL (a postgresql:// URL), chosen by store_open().
 *
 * Threads: a struct store is shared; each thread gets its own connection
 * with store_conn() (cached per thread). Every function taking a
 * `struct sconn` runs on that thread's connection.
 *
 * Errors: 0 success, -1 failure with details in `e` (ERR_NOT_FOUND for a
 * row missing or outside the scope path, ERR_CONFLICT for a uniqueness
 * violation, ERR_INTERNAL/ERR_UNAVAILABLE for database failures).
 *
 * Memory: strings in returned structs are allocated from the arena given.
 *
 * Sensitive fields: identity and phone numbers are passed in plain; the
 * store seals them (SM4-CTR + HMAC-SM3) and keeps a keyed hash for lookup
 * and a masked copy for lists. Only store_member_get(reveal=true) decrypts.
 */
#ifndef DJ_STORE_H
#define DJ_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/member.h"
#include "core/org.h"
#include "core/user.h"
#include "store/db.h"

struct arena;
struct err;
struct store;
struct sconn;
struct crypto_keys;

struct store_opts {
	const char *url;      /* SQLite file path or postgresql://... */
	const char *key_file; /* NULL: "<path>.key" beside a SQLite file, "dangjian.key" for PostgreSQL */
	bool create;          /* create the key file when missing (init, demo, serve --demo) */
	unsigned pbkdf2_iterations; /* for new password hashes */
};

int store_open(const struct store_opts *o, struct store **out, struct err *e);
void store_free(struct store *s);
enum db_backend store_backend(const struct store *s);
const struct crypto_keys *store_keys(const struct store *s);
unsigned store_pbkdf2_iterations(const struct store *s);
/*
 * Command-line loads (import, demo): a bulk load that finds a SQLite database
 * open by no other connection writes it through a rollback journal, each page
 * once instead of twice through the WAL. A connection opened meanwhile waits
 * up to 5 s for the load, then fails as busy. Off unless set: a server's own
 * connections come and go (a running server keeps one open to be seen).
 */
void store_bulk_alone(struct store *s, bool on);

/*
 * Keeps valid sessions in memory when the database can notify changes
 * (PostgreSQL: a listener thread; see session_cache.c); nothing on SQLite,
 * where the lookup costs no round trip. For the server, after store_open.
 */
void store_watch_sessions(struct store *s);

/* This thread's connection (opened on first use, reopened when broken). */
struct sconn *store_conn(struct store *s, struct err *e);
/* How many transactions this thread's connection has committed: a request that committed
 * nothing may be run again. */
uint64_t store_commits(const struct sconn *c);
/* Has this connection's link to the database broken? (store_conn then opens a new one.) */
bool store_conn_lost(struct sconn *c);
/* Closes this thread's connection, if any (thread exit). */
void store_conn_release(struct store *s);

/*
 * A read transaction for a request's queries (one snapshot, and the
 * database locks taken once rather than per statement). store_begin() ends
 * it before starting a write transaction. store_read_end() is harmless when
 * none is open.
 */
int store_read_begin(struct sconn *c, struct err *e);
void store_read_end(struct sconn *c);

/*
 * Changes whenever the database may have changed (any connection's commit):
 * a reply built from the same version is still right. 0 on PostgreSQL (no
 * cheap equivalent): do not cache then.
 */
uint64_t store_data_version(struct sconn *c);

int store_begin(struct sconn *c, struct err *e);
int store_commit(struct sconn *c, struct err *e);
/* Rolls back if a transaction is open; harmless otherwise. */
void store_rollback(struct sconn *c);

/* Who makes a change: written into the audit trail and histories. */
struct actor {
	int64_t user_id;  /* 0 for the command line */
	const char *name; /* username, or "cli" */
};

/* ---- organisations ---------------------------------------------------- */

struct org_list {
	struct org *items;
	size_t n;
};

/* `scope` is a materialised path ("/0000000001/"); NULL means no restriction. */
int store_org_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, struct org *out,
		  struct err *e);
/* The subtree rooted at the organisation with path `root`, parents first. */
int store_org_subtree(struct sconn *c, struct arena *a, const char *root, struct org_list *out,
		      struct err *e);
int store_org_children(struct sconn *c, struct arena *a, int64_t id, struct org_list *out, struct err *e);
/* Inserts o (parent_id 0 makes a root); sets o->id and o->path (arena). */
int store_org_insert(struct sconn *c, struct arena *a, struct org *o, struct err *e);
/* Writes name, field, elected_on, term_years, remarks, sort_order. */
int store_org_update(struct sconn *c, const struct org *o, struct err *e);
/* Moves id under new_parent, rewriting the subtree's paths. */
int store_org_move(struct sconn *c, struct arena *a, int64_t id, int64_t new_parent, struct err *e);
/* ERR_CONFLICT "org_not_empty" when it has members or children. */
int store_org_delete(struct sconn *c, int64_t id, struct err *e);
/*
 * Finds an organisation inside `scope` by its full name (when unique) or a
 * path of names separated by '/' (the export form). *id_out = 0 when none.
 */
int store_org_find(struct sconn *c, struct arena *a, const char *scope, const char *text, int64_t *id_out,
		   struct err *e);
/* The '/'-joined names from the root to the organisation (export form). */
int store_org_path_text(struct sconn *c, struct arena *a, int64_t id, char **out, struct err *e);

struct committee_entry {
	int64_t member_id;
	const char *name;
	int role; /* enum committee_role */
};

int store_committee_get(struct sconn *c, struct arena *a, int64_t org_id, struct committee_entry **out,
			size_t *n_out, struct err *e);
int store_committee_set(struct sconn *c, int64_t org_id, const struct committee_entry *v, size_t n,
			struct err *e);

/* ---- members ---------------------------------------------------------- */

struct member_query {
	const char *scope;            /* caller's subtree path; NULL: all */
	int64_t org_id;               /* 0: the whole scope; else that org's subtree */
	const char *q;                /* name substring, NULL none */
	int status, category, gender; /* 0: any */
	int state; /* enum member_state; 0: active and lost (the counted members); MSTATE_ALL: every state */
	const char *id_card; /* exact identity number, NULL none */
	int page, per_page;  /* page from 1 */
	bool keyset;         /* keyset paging: ids greater than `after`, in id order */
	int64_t after;
	bool unpaged; /* export: every matching row */
	bool reveal;  /* with unpaged: identity and phone numbers decrypted (the caller audits) */
};

struct member_page {
	struct member *items;
	size_t n;
	int64_t total;
};

/* Identity and phone numbers in the items are the masked forms, unless q->reveal. */
int store_member_list(struct sconn *c, struct arena *a, const struct member_query *q, struct member_page *out,
		      struct err *e);
/* reveal=false gives masked numbers; true decrypts (the caller audits). */
int store_member_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, bool reveal,
		     struct member *out, struct err *e);
/* Sets m->id. ERR_CONFLICT "duplicate_id_card" when the number exists. */
int store_member_insert(struct sconn *c, struct member *m, struct err *e);
/* Writes every field of m (id_card/phone in plain; NULL phone clears it). */
int store_member_update(struct sconn *c, const struct member *m, struct err *e);
int store_member_delete(struct sconn *c, int64_t id, struct err *e);
/* *id_out = member id holding that identity number, or 0. */
int store_member_find_id_card(struct sconn *c, const char *id_card, int64_t *id_out, struct err *e);
/* Does the members table hold any row at all (whatever its state)? */
int store_member_any(struct sconn *c, bool *any_out, struct err *e);

struct member_event {
	const char *at;
	const char *actor;
	const char *action; /* created, moved, status, imported */
	int64_t from_org_id, to_org_id;
	const char *from_org, *to_org;
	const char *detail;
};

/*
 * Inserts n validated members with an 'imported' history row each (detail),
 * in the caller's transaction (store_bulk_begin for large loads). The numbers
 * are sealed on a second thread ahead of the inserts. Stops at the first
 * failure; the caller rolls back.
 */
int store_member_insert_many(struct sconn *c, const struct actor *who, struct member *members, size_t n,
			     const char *detail, struct err *e);
int store_member_history_add(struct sconn *c, const struct actor *who, int64_t member_id, const char *action,
			     int64_t from_org, int64_t to_org, const char *detail, struct err *e);
int store_member_history(struct sconn *c, struct arena *a, int64_t member_id, struct member_event **out,
			 size_t *n_out, struct err *e);

/* ---- users and sessions ----------------------------------------------- */

struct user_page {
	struct user *items;
	size_t n;
	int64_t total;
};

/* By username, with the stored password hash; ERR_NOT_FOUND when none. */
int store_user_by_name(struct sconn *c, struct arena *a, const char *username, struct user *out,
		       char **hash_out, int64_t *locked_until_out, struct err *e);
int store_user_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, struct user *out,
		   struct err *e);
int store_user_list(struct sconn *c, struct arena *a, const char *scope, int64_t org_id, int page,
		    int per_page, struct user_page *out, struct err *e);
/* Sets u->id. ERR_CONFLICT when the username exists. */
int store_user_insert(struct sconn *c, struct user *u, const char *password_hash, struct err *e);
/* Writes display_name, role, org_id, member_id, disabled; password_hash when not NULL. */
int store_user_update(struct sconn *c, const struct user *u, const char *password_hash, struct err *e);
int store_user_set_lock(struct sconn *c, int64_t user_id, int64_t until, struct err *e);
int store_login_failure_add(struct sconn *c, int64_t user_id, int64_t at, struct err *e);
int store_login_failures_since(struct sconn *c, int64_t user_id, int64_t since, int *n_out, struct err *e);
int store_login_failures_clear(struct sconn *c, int64_t user_id, struct err *e);

/* Creates a session: 64-hex token for the cookie and a CSRF token. */
int store_session_create(struct sconn *c, int64_t user_id, int64_t now, char token_out[65], char csrf_out[65],
			 struct err *e);
/*
 * Finds the session of a cookie token that was seen within idle_secs and
 * touches it; ERR_UNAUTHORIZED when missing, expired or the user disabled.
 */
int store_session_lookup(struct sconn *c, struct arena *a, const char *token, int64_t now, int64_t idle_secs,
			 struct user *out, char **csrf_out, struct err *e);
int store_session_delete(struct sconn *c, const char *token, struct err *e);
int store_sessions_delete_user(struct sconn *c, int64_t user_id, struct err *e);

/* ---- audit trail ------------------------------------------------------ */

/* Appends a chained row inside the caller's transaction. JSON may be NULL. */
int store_audit(struct sconn *c, const struct actor *who, const char *action, const char *entity,
		int64_t entity_id, const char *before_json, const char *after_json, struct err *e);

struct audit_entry {
	int64_t id;
	const char *at;
	int64_t actor_id;
	const char *actor, *action, *entity;
	int64_t entity_id;
	const char *before, *after, *hash;
};

struct audit_query {
	const char *action, *entity, *actor;
	int64_t entity_id;
	const char *from, *to; /* YYYY-MM-DD, inclusive */
	int page, per_page;
};

struct audit_page {
	struct audit_entry *items;
	size_t n;
	int64_t total;
};

int store_audit_list(struct sconn *c, struct arena *a, const struct audit_query *q, struct audit_page *out,
		     struct err *e);

struct audit_check {
	int64_t rows;
	int64_t first_bad_id; /* 0 when intact */
	char reason[160];
};

int store_audit_verify(struct sconn *c, struct audit_check *out, struct err *e);

/* ---- party dues ------------------------------------------------------- */

struct dues_standard {
	int64_t id, member_id;
	const char *category; /* dues category, JSON name */
	int64_t base_fen;
	int per_mille; /* -1 for fixed amounts and reductions */
	int64_t amount_fen;
	const char *effective_month; /* 'YYYY-MM' */
	const char *reduction_reason, *approved_by, *approved_on;
	const char *created_at, *created_by;
};

struct dues_payment {
	int64_t id, member_id, org_id;
	const char *month;
	int64_t amount_fen, standard_fen;
	const char *method, *paid_on, *payer_name, *reference, *note, *recorded_by, *created_at;
	bool central_remit;
};

/* Writes (or replaces, same member and month) a standard; sets s->id. */
int store_dues_standard_set(struct sconn *c, struct dues_standard *s, const char *who, struct err *e);
/* The standard in force for `month` (latest effective_month <= month); *found false when none. */
int store_dues_standard_at(struct sconn *c, struct arena *a, int64_t member_id, const char *month,
			   struct dues_standard *out, bool *found, struct err *e);
/* Every standard of a member, newest first. */
int store_dues_standards(struct sconn *c, struct arena *a, int64_t member_id, struct dues_standard **out,
			 size_t *n_out, struct err *e);

/* Opens a ledger month for org_id's subtree; ERR_CONFLICT "month_exists" when open already. */
int store_dues_month_open(struct sconn *c, int64_t org_id, const char *month, const char *who, struct err *e);
/* The ledger month covering an organisation path (the nearest ancestor's); *status_out NULL if none. */
int store_dues_month_for(struct sconn *c, struct arena *a, const char *org_path, const char *month,
			 int64_t *ledger_org_out, char **status_out, struct err *e);
/* Moves a ledger month to reported or settled. ERR_NOT_FOUND when not open. */
int store_dues_month_set(struct sconn *c, int64_t org_id, const char *month, const char *status,
			 struct err *e);

/* Records a branch's report of a month; ERR_CONFLICT "month_reported" when it reported already. */
int store_dues_report_add(struct sconn *c, int64_t org_id, const char *month, int64_t paid_count,
			  int64_t paid_fen, const char *who, struct err *e);
/* Has the organisation at `org_path`, or an ancestor below the ledger, reported `month`? */
int store_dues_reported(struct sconn *c, struct arena *a, const char *org_path, const char *month,
			bool *reported_out, struct err *e);

/* Inserts a payment; ERR_CONFLICT "already_paid" when the member paid that month. Sets p->id. */
int store_dues_payment_add(struct sconn *c, struct dues_payment *p, struct err *e);
/* The payment with a transaction reference; *found false when none. */
int store_dues_payment_by_ref(struct sconn *c, struct arena *a, const char *reference,
			      struct dues_payment *out, bool *found, struct err *e);
/* A member's payments, newest month first. */
int store_dues_payments(struct sconn *c, struct arena *a, int64_t member_id, struct dues_payment **out,
			size_t *n_out, struct err *e);

struct dues_ledger_row {
	int64_t member_id, org_id;
	const char *name, *org_name;
	int64_t amount_fen; /* standard for the month */
	int64_t paid_fen;   /* 0 when unpaid */
	bool paid;
	const char *paid_on, *method, *paid_up_to;
	const char *first_month; /* the member's first standard month (arrears start) */
};

struct dues_ledger {
	struct dues_ledger_row *items;
	size_t n;
	int64_t total; /* rows matching the filter */
	int64_t due_count, paid_count, due_fen, paid_fen;
};

/*
 * The ledger of `month` for the subtree at `path`: every member with a
 * standard in force. filter: 0 all, 1 paid, 2 unpaid. per_page 0 = all rows.
 */
int store_dues_ledger(struct sconn *c, struct arena *a, const char *path, const char *month, int filter,
		      int page, int per_page, struct dues_ledger *out, struct err *e);
/* Months paid by each member of the subtree (member_id, month), ordered by member then month. */
int store_dues_paid_months(struct sconn *c, struct arena *a, const char *path, int64_t **member_ids,
			   const char ***months, size_t *n_out, struct err *e);

struct dues_spending {
	int64_t id, org_id;
	const char *spent_on, *category, *description, *approved_by, *approval_doc, *created_by, *created_at;
	int64_t amount_fen;
};

int store_dues_spending_add(struct sconn *c, struct dues_spending *s, struct err *e);
/* Spending of the organisation itself in a year ('YYYY'), newest first. */
int store_dues_spending_list(struct sconn *c, struct arena *a, int64_t org_id, const char *year,
			     struct dues_spending **out, size_t *n_out, struct err *e);

/* One payment of a year in a subtree, for publicity and remittance (ordered by member, month). */
struct dues_year_row {
	int64_t member_id, org_id;
	const char *name, *org_name, *org_path;
	int64_t standard_fen; /* latest standard in force by December */
	const char *month;    /* NULL: no payment that year */
	int64_t amount_fen, extra_central_fen;
};

int store_dues_year(struct sconn *c, struct arena *a, const char *path, const char *year,
		    struct dues_year_row **out, size_t *n_out, struct err *e);
/* Members in the subtree whose name is exactly `name` (at most cap ids). */
int store_member_find_name(struct sconn *c, struct arena *a, const char *path, const char *name, int64_t *ids,
			   size_t cap, size_t *n_out, struct err *e);

struct dues_order {
	int64_t id, member_id, amount_fen;
	const char *months, *provider, *status, *provider_ref, *created_at, *paid_at;
};

int store_dues_order_add(struct sconn *c, struct dues_order *o, struct err *e);
int store_dues_order_get(struct sconn *c, struct arena *a, int64_t id, struct dues_order *out, struct err *e);
/* Marks a pending order paid; *changed false when it was paid already (nothing written). */
int store_dues_order_paid(struct sconn *c, int64_t id, const char *provider_ref, bool *changed,
			  struct err *e);

/* ---- organisational life (meetings) ------------------------------------ */

struct meeting_attendee {
	int64_t member_id;
	const char *name; /* filled on reads */
	int status;       /* enum attendance */
	const char *reason;
	bool leader;
};

struct meeting_decision {
	int64_t id;
	const char *title;
	int yes, no, abstain;
	bool development;
	bool quorum, passed; /* computed by meeting_vote_check() before writing */
	const char *reason;
};

struct meeting_file {
	int64_t id, meeting_id, size;
	const char *name, *content_type, *sm3, *created_by, *created_at;
};

struct meeting {
	int64_t id, org_id;
	const char *org_name;
	int type; /* enum meeting_type */
	const char *topic, *held_on, *start_time, *place, *host, *recorder, *agenda, *minutes;
	const char *status; /* held, planned */
	int expected, present;
	const char *created_by, *created_at, *updated_at;
	struct meeting_attendee *attendees;
	size_t nattendees;
	struct meeting_decision *decisions;
	size_t ndecisions;
	struct meeting_file *files;
	size_t nfiles;
};

/* Inserts the meeting with its attendees and decisions; sets m->id. */
int store_meeting_insert(struct sconn *c, struct meeting *m, struct err *e);
/* Replaces the meeting's fields, attendees and decisions. */
int store_meeting_update(struct sconn *c, const struct meeting *m, struct err *e);
int store_meeting_delete(struct sconn *c, int64_t id, struct err *e);
/* One meeting in scope with attendees, decisions and files; ERR_NOT_FOUND outside. */
int store_meeting_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, struct meeting *out,
		      struct err *e);

struct meeting_query {
	const char *path;      /* subtree */
	int type;              /* 0 any */
	const char *from, *to; /* held_on range, inclusive; NULL open */
	int page, per_page;    /* per_page 0 = all */
};

/* Meetings without attendees/decisions, newest first. */
int store_meeting_list(struct sconn *c, struct arena *a, const struct meeting_query *q, struct meeting **out,
		       size_t *n_out, int64_t *total_out, struct err *e);

/* Held meetings per organisation, type and month in a subtree and date range. */
struct meeting_count {
	int64_t org_id;
	int type;
	int month;            /* YYYYMM */
	int held, incomplete; /* incomplete: no minutes, no attendance or no topic (MTG-15) */
};

int store_meeting_counts(struct sconn *c, struct arena *a, const char *path, const char *from, const char *to,
			 struct meeting_count **out, size_t *n_out, struct err *e);

int store_meeting_file_add(struct sconn *c, struct meeting_file *f, struct err *e);
int store_meeting_file_get(struct sconn *c, struct arena *a, int64_t meeting_id, int64_t id,
			   struct meeting_file *out, struct err *e);
int store_meeting_file_delete(struct sconn *c, int64_t meeting_id, int64_t id, struct err *e);

/* ---- member lifecycle: states, exits, moves ---------------------------- */

/* One change of a member's state (RULES.md 4.3, 6.3), kept as history. */
struct member_state_event {
	int64_t id, member_id;
	int from_state, to_state; /* enum member_state */
	const char *code;         /* exit reason (exit_reason JSON name) or lost situation code; NULL none */
	struct date on;           /* date of the event (exit date, last contact, suspension, restoration) */
	const char *basis;        /* 依据: decision, document number, summary */
	const char *approved_by;  /* approving organisation or body, free text; NULL none */
	struct date approved_on;  /* zero when none */
	const char *created_by, *created_at;
};

/*
 * Sets members.state/state_on/state_code from ev->to_state/on/code, records
 * the event (sets ev->id) and a member_history row (action "state"), and
 * keeps org_stats right: leaving the counted states (active, lost)
 * subtracts the member, entering them adds. ERR_NOT_FOUND for no member.
 * The caller checks the transition (core) and writes the audit row.
 */
int store_member_set_state(struct sconn *c, const struct actor *who, struct member_state_event *ev,
			   struct err *e);
int store_member_state_events(struct sconn *c, struct arena *a, int64_t member_id,
			      struct member_state_event **out, size_t *n_out, struct err *e);
/*
 * Moves a member to another organisation (transfer): org_id and org_path,
 * figures, history row "moved" with `detail`; the member's committee posts
 * in the old organisation end (org_committee rows removed).
 */
int store_member_move(struct sconn *c, const struct actor *who, int64_t member_id, int64_t to_org_id,
		      const char *detail, struct err *e);
/* Full members of an organisation (not its subtree) in the counted states: for vote checks. */
int store_org_full_members(struct sconn *c, int64_t org_id, int *n_out, struct err *e);

/* ---- member development (发展党员) ------------------------------------ */

/* A person named on a step: 谈话人, 培养联系人, 入党介绍人, ... */
struct dev_person {
	const char *role;  /* talker, contact, introducer, reviewer, trainer, other */
	int64_t member_id; /* 0 for someone not in the registry */
	const char *name;  /* filled from the member on reads when member_id is set */
};

/* One recorded step of a development case (RULES.md 1.1). */
struct dev_step_rec {
	int64_t id, applicant_id;
	int step; /* 1..25 */
	struct date on;
	const char *summary; /* 摘要 / conclusion / document; NULL none */
	const char *result;  /* "pass", "fail", or NULL where the step has none */
	const char *outcome; /* step 23: "full", "extend", "cancel"; NULL otherwise */
	bool has_vote;
	int expected, present, yes, no, abstain, written_yes;
	int extension_months;                     /* step 23 extend */
	int training_days, training_hours;        /* step 11 */
	const char *justification;                /* step 11 without enough training, late steps; NULL none */
	struct date publicity_from, publicity_to; /* zero when none */
	int64_t approver_org_id;                  /* steps 13, 17, 24: the committee that decided; 0 none */
	int64_t meeting_id;                       /* steps 15, 23: the meeting record, 0 none */
	const char *warnings;                     /* JSON array text [{"rule","message"}], "[]" when none */
	const char *rule_version;                 /* "2014" or "2026" */
	const char *created_by, *created_at;
	struct dev_person *people;
	size_t npeople;
};

/* A development case: a person who is not (yet) a member. */
struct applicant {
	int64_t id, org_id;
	const char *org_name, *org_path; /* filled on reads */
	const char *name;
	int gender;
	char ethnicity[3];
	struct date birth_date;
	const char *id_card; /* plain on writes; masked on reads unless revealed */
	char education[3];
	const char *phone; /* plain on writes; masked on reads; NULL none */
	const char *native_place, *work_unit, *job;
	int category;             /* enum member_category */
	int stage;                /* enum dev_stage (core/develop.h) */
	const char *status;       /* open, completed, cancelled, stopped */
	const char *stop_reason;  /* NULL unless stopped/cancelled */
	const char *rule_version; /* "2014" or "2026" */
	int step;                 /* highest step recorded, 1..25 */
	struct date applied_on, activist_on, candidate_on, admitted_on, approved_on, probation_end, full_on;
	int extensions;    /* probation extensions so far (0 or 1) */
	int64_t member_id; /* the member record once approved (step 17), else 0 */
	const char *created_at, *updated_at;
	struct dev_step_rec *steps; /* store_applicant_get only, in (step, on, id) order */
	size_t nsteps;
};

/* Sets a->id. ERR_CONFLICT "duplicate_id_card" when an open case or a member has the number. */
int store_applicant_insert(struct sconn *c, struct applicant *a, struct err *e);
/* Writes the case fields (stage, status, step, dates, member_id, person fields). */
int store_applicant_update(struct sconn *c, const struct applicant *a, struct err *e);
/*
 * DEV-16: moves an open case to another branch (org_id only; the steps stay,
 * so training time counts on). ERR_NOT_FOUND when no open case has that id.
 * The caller checks the move (dev_move_check) and writes the audit row.
 */
int store_applicant_move(struct sconn *c, int64_t id, int64_t to_org_id, struct err *e);
/* One case in scope (its org in the scope path), with steps and people; ERR_NOT_FOUND otherwise. */
int store_applicant_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, bool reveal,
			struct applicant *out, struct err *e);

struct applicant_query {
	const char *path;   /* subtree */
	int stage;          /* 0 any */
	const char *status; /* NULL any */
	const char *q;      /* name substring, NULL none */
	int page, per_page; /* per_page 0 = all */
};
/* Cases without steps, ordered by org path, stage, applied_on, id. */
int store_applicant_list(struct sconn *c, struct arena *a, const struct applicant_query *q,
			 struct applicant **out, size_t *n_out, int64_t *total_out, struct err *e);
/* Adds a step with its people; sets s->id. */
int store_dev_step_add(struct sconn *c, struct dev_step_rec *s, struct err *e);
/*
 * The steps of the cases store_applicant_list() answers for the same query
 * (the same page; per_page 0: every case of the filter), in one query,
 * reduced to what lists need: id, applicant_id, step, on, result, outcome,
 * extension_months and warnings (no people, vote, summary or names).
 * Ordered by applicant_id, then id (recorded order). Arena memory.
 */
int store_applicant_step_briefs(struct sconn *c, struct arena *a, const struct applicant_query *q,
				struct dev_step_rec **out, size_t *n_out, struct err *e);

/* Members developed (step 17 passed) per organisation of a subtree on or after `since`. */
struct org_count {
	int64_t org_id;
	const char *org_name, *org_path;
	int64_t n;
};
int store_dev_developed(struct sconn *c, struct arena *a, const char *path, const char *since,
			const char *until, struct org_count **out, size_t *n_out, struct err *e);

/* Yearly development quota (发展计划) of an organisation. */
struct dev_plan {
	int64_t org_id;
	const char *org_name, *org_path;
	int year, quota;
};
int store_dev_plan_set(struct sconn *c, int64_t org_id, int year, int quota, struct err *e);
int store_dev_plans(struct sconn *c, struct arena *a, const char *path, int year, struct dev_plan **out,
		    size_t *n_out, struct err *e);

/* ---- transfers of organisational relations (组织关系转接) -------------- */

struct transfer {
	int64_t id, member_id;
	const char *member_name; /* filled on reads */
	const char *kind;        /* in_system, outbound, inbound */
	const char *state; /* requested, sending_approved, letter_issued, registered, completed, returned,
			      cancelled */
	int64_t from_org_id, to_org_id;                                        /* 0 when outside the system */
	const char *from_org_name, *to_org_name, *from_org_path, *to_org_path; /* filled on reads */
	const char *from_text,
		*to_text;    /* organisation outside the system (inbound origin, outbound destination) */
	bool cross_province; /* outbound: destination in another province (validity setting) */
	const char *reason;
	struct date requested_on;
	const char *requested_by;
	struct date sending_on; /* sending committee approved */
	const char *sending_by;
	struct date receiving_on; /* receiving committee approved */
	const char *receiving_by;
	const char *return_reason, *returned_by, *returned_side; /* side: sending / receiving */
	const char *letter_no;                                   /* unique; NULL until issued or registered */
	struct date letter_on, valid_until;
	const char *dues_paid_to; /* YYYY-MM, NULL unknown */
	struct date receipt_on;   /* 回执 recorded */
	const char *receipt_note;
	struct date completed_on;
	const char *created_at, *updated_at;
};

/* Sets t->id. ERR_CONFLICT "duplicate_letter_no" for a letter number already recorded. */
int store_transfer_insert(struct sconn *c, struct transfer *t, struct err *e);
/* Writes every field. */
int store_transfer_update(struct sconn *c, const struct transfer *t, struct err *e);
/* One transfer whose sending or receiving organisation is in scope (or, for a
 * member-only case, whose member is); ERR_NOT_FOUND otherwise. */
int store_transfer_get(struct sconn *c, struct arena *a, const char *scope, int64_t id, struct transfer *out,
		       struct err *e);
/* By letter number, any scope; ERR_NOT_FOUND when unknown. */
int store_transfer_by_letter(struct sconn *c, struct arena *a, const char *letter_no, struct transfer *out,
			     struct err *e);
/* Open transfer of a member (requested, sending_approved, letter_issued), *id_out 0 when none. */
int store_transfer_pending(struct sconn *c, int64_t member_id, int64_t *id_out, struct err *e);

struct transfer_query {
	const char *path;           /* subtree */
	const char *box;            /* "outgoing" (from in path), "incoming" (to in path), NULL both */
	const char *state, *kind;   /* NULL any */
	int64_t member_id;          /* 0 any */
	const char *expired_before; /* letters issued, no receipt, valid_until < this date; NULL off */
	int page, per_page;         /* per_page 0 = all */
};
/* Newest first. */
int store_transfer_list(struct sconn *c, struct arena *a, const struct transfer_query *q,
			struct transfer **out, size_t *n_out, int64_t *total_out, struct err *e);
/* Next letter number of the year: "<year>-<6-digit sequence>" (one sequence per year, in the transaction). */
int store_letter_next_no(struct sconn *c, int year, char out[32], struct err *e);

/* ---- mobile members (流动党员) ----------------------------------------- */

struct mobile_member {
	int64_t id, member_id;
	const char *member_name; /* filled on reads */
	int64_t org_id;          /* the member's organisation (流出地), filled on reads */
	const char *org_name;
	const char *state; /* out, returned */
	struct date out_on, expected_return, returned_on;
	const char *destination, *reason, *certificate_no;
	/* Sealed at rest (0010). Reads of one record (get, open_of) unseal it; lists leave it NULL. */
	const char *contact;
	const char *contact_masked;  /* filled on reads: digits but the first 3 and last 4 as '*' */
	int64_t inflow_org_id;       /* 流入地 in the system, 0 none */
	const char *inflow_org_name; /* filled on reads */
	const char *inflow_text;     /* 流入地 outside the system */
	const char *created_by, *created_at, *updated_at;
};

/* Sets m->id. ERR_CONFLICT "mobile_open" when the member is already out,
 * "duplicate_certificate" for a certificate number in use. Sets members.mobile. */
int store_mobile_insert(struct sconn *c, struct mobile_member *m, struct err *e);
/* Writes every field (the contact sealed, with its masked copy); a return clears members.mobile. */
int store_mobile_update(struct sconn *c, const struct mobile_member *m, struct err *e);
/* The member's open outflow registration (state out), any scope; *found_out false when none. */
int store_mobile_open_of(struct sconn *c, struct arena *a, int64_t member_id, struct mobile_member *out,
			 bool *found_out, struct err *e);
/* One record whose member's organisation or inflow organisation is in scope, contact unsealed
 * (ERR_INTERNAL "integrity_error" when the sealed contact fails its MAC). */
int store_mobile_get(struct sconn *c, struct arena *a, const char *scope, int64_t id,
		     struct mobile_member *out, struct err *e);
struct mobile_query {
	const char *path;
	const char *state; /* NULL any */
	int page, per_page;
};
/* Records whose member's org or inflow org is in the path; newest out_on first; contact NULL
 * (contact_masked set). */
int store_mobile_list(struct sconn *c, struct arena *a, const struct mobile_query *q,
		      struct mobile_member **out, size_t *n_out, int64_t *total_out, struct err *e);

/* ---- sanctions (党纪处分) ------------------------------------------------ */

/* A disciplinary sanction of a member (RULES.md 6.1). */
struct sanction {
	int64_t id, member_id;
	const char *member_name; /* filled on reads */
	int64_t org_id;          /* the member's organisation, filled on reads */
	const char *org_name;    /* filled on reads */
	int type;                /* enum sanction_type (core/sanction.h) */
	struct date decided_on;  /* the decision takes effect */
	int probation_months;    /* 留党察看: 12 or 24; 0 otherwise */
	struct date effect_end;  /* sanction_effect_end(); unset for expulsion */
	const char *basis;       /* 依据 */
	const char *decided_by;  /* deciding body, free text */
	const char *approved_by; /* NULL none */
	struct date approved_on; /* unset when none */
	const char *outcome;     /* 留党察看 ended: "restored" or "expelled"; NULL otherwise */
	struct date ended_on;    /* with outcome */
	const char *created_by, *created_at, *updated_at;
};

/* Sets s->id. The caller checks the sanction (core sanction_check) and writes the audit row. */
int store_sanction_insert(struct sconn *c, struct sanction *s, struct err *e);
/*
 * Ends a 留党察看: outcome "restored" or "expelled" on `on`. ERR_NOT_FOUND
 * when the member has no such sanction; ERR_CONFLICT "sanction_ended" when
 * it has an outcome already.
 */
int store_sanction_end(struct sconn *c, int64_t member_id, int64_t id, const char *outcome, struct date on,
		       struct err *e);
/* One sanction of a member; ERR_NOT_FOUND otherwise. */
int store_sanction_get(struct sconn *c, struct arena *a, int64_t member_id, int64_t id, struct sanction *out,
		       struct err *e);
/* Every sanction of a member, oldest decision first. */
int store_sanctions_of(struct sconn *c, struct arena *a, int64_t member_id, struct sanction **out,
		       size_t *n_out, struct err *e);

struct sanction_query {
	const char *path;         /* members whose organisation is in this subtree */
	struct date in_effect_on; /* set: only sanctions in effect that day; unset: all */
	int page, per_page;       /* per_page 0 = all */
};
/* Newest decision first. */
int store_sanction_list(struct sconn *c, struct arena *a, const struct sanction_query *q,
			struct sanction **out, size_t *n_out, int64_t *total_out, struct err *e);
/*
 * Is the member under 留党察看 whose rights are not restored on `on`
 * (sanction_rights_suspended over their 留党察看 records; one that ended
 * in expulsion counts up to the expulsion)? DEV-21, DEV-30.
 */
int store_sanction_probation_on(struct sconn *c, int64_t member_id, struct date on, bool *out, struct err *e);
/* Party posts (org_committee rows) the member holds anywhere. */
int store_member_posts(struct sconn *c, int64_t member_id, int *n_out, struct err *e);
/* Ends every Party post of the member (DISC-02: 撤销党内职务, 留党察看); *n_out = posts ended. */
int store_member_posts_end(struct sconn *c, int64_t member_id, int *n_out, struct err *e);

/* ---- figures ---------------------------------------------------------- */

/* One figure of an organisation's subtree: members whose `dim` has value `key`. */
struct org_stat {
	const char *dim; /* status, gender, category, education, ethnicity, birth_year */
	const char *key;
	int64_t n;
};

/* The subtree figures of an organisation in scope (ERR_NOT_FOUND outside). */
int store_org_stats(struct sconn *c, struct arena *a, const char *scope, int64_t org_id,
		    struct org_stat **rows_out, size_t *n_out, struct err *e);
/*
 * A bulk load: a transaction in which member inserts skip the figures;
 * store_bulk_commit() rebuilds them and commits (store_rollback() aborts).
 */
int store_bulk_begin(struct sconn *c, struct err *e);
int store_bulk_commit(struct sconn *c, struct err *e);
/* Recomputes every figure from the members table. */
int store_stats_rebuild(struct sconn *c, struct err *e);
/* Recomputes in a rolled-back transaction; *diffs_out = rows that differ (0 = consistent). */
int store_stats_verify(struct sconn *c, int64_t *diffs_out, struct err *e);

/* ---- maintenance ------------------------------------------------------ */

/* Writes a consistent copy of a SQLite database to `path` (VACUUM INTO). */
int store_backup(struct sconn *c, const char *path, struct err *e);
/* Database-level integrity check; *problem_out is NULL when fine (arena string otherwise). */
int store_integrity(struct sconn *c, struct arena *a, char **problem_out, struct err *e);
/* Number of organisations (0 for an empty database). */
int store_org_count(struct sconn *c, int64_t *n_out, struct err *e);

#endif
