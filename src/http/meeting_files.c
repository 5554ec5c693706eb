/*
 * meeting_files.c: files attached to meeting records (minutes scans,
 * photos, documents). Uploads are checked against an allow-list by their
 * content, not only their name, stored once per SM3 digest under the files
 * directory (written to a temporary name, then renamed), and served back
 * with the content type that was checked. Stored bytes are never deleted
 * by the program (see h_remove).
 */
#include "util/common.h"
#include "http/params.h"
#include "http/reply.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/crypto.h"
#include "util/jsonw.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct file_kind {
	const char *ext, *type;
	const char *magic;
	size_t magic_len;
	const char *part; /* Office files: a part name the zip must contain */
} kinds[] = {
	{ ".pdf", "application/pdf", "%PDF-", 5, NULL },
	{ ".png", "image/png", "\x89PNG\r\n\x1a\n", 8, NULL },
	{ ".jpg", "image/jpeg", "\xff\xd8\xff", 3, NULL },
	{ ".jpeg", "image/jpeg", "\xff\xd8\xff", 3, NULL },
	{ ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04", 4,
	  "word/document.xml" },
	{ ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04", 4,
	  "xl/workbook.xml" },
	{ ".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PK\x03\x04",
	  4, "ppt/presentation.xml" },
	{ ".txt", "text/plain; charset=utf-8", NULL, 0, NULL },
};

/* The kind named by the file's extension, if its content agrees. */
static const struct file_kind *check_kind(const char *name, const char *data, size_t len, const char **why)
{
	const char *dot = strrchr(name, '.');

	*why = NULL;
	for (size_t i = 0; dot && i < ARRAY_SIZE(kinds); i++) {
		if (strcasecmp(dot, kinds[i].ext) != 0)
			continue;
		if (kinds[i].magic) {
			if (len < kinds[i].magic_len ||
			    memcmp(data, kinds[i].magic, kinds[i].magic_len) != 0 ||
			    (kinds[i].part && !memmem(data, len, kinds[i].part, strlen(kinds[i].part)))) {
				/* Zip entry names are stored in plain text: an .xlsx renamed .docx lacks
				 * word/. */
				*why = "文件内容与扩展名不符";
				return NULL;
			}
		} else if (memchr(data, '\0', len) || !utf8_valid(data, len, NULL)) {
			*why = "文本文件须为UTF-8编码";
			return NULL;
		}
		return &kinds[i];
	}
	*why = "只允许上传 PDF、PNG、JPG、DOCX、XLSX、PPTX 和 TXT 文件";
	return NULL;
}

/* Writes data under dir/<hex> unless it is there already. */
static int store_blob(const char *dir, const char *hex, const char *data, size_t len, struct err *e)
{
	struct strbuf path = STRBUF_INIT, tmp = STRBUF_INIT;
	struct stat st;
	int fd = -1, rc = -1;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		log_error("files", "cannot create '%s': %s", dir, strerror(errno));
		err_set(e, ERR_INTERNAL, NULL, "无法保存附件");
		goto out;
	}
	strbuf_addf(&path, "%s/%s", dir, hex);
	if (stat(path.buf, &st) == 0 && (size_t)st.st_size == len) {
		rc = 0; /* same digest, same bytes: stored already */
		goto out;
	}
	{
		/* A name of its own, so two uploads of the same bytes cannot share a temporary file. */
		unsigned char rnd[8];
		char rhex[17];
		crypto_random(rnd, sizeof(rnd));
		crypto_hex(rnd, sizeof(rnd), rhex);
		strbuf_addf(&tmp, "%s/.tmp-%s-%s", dir, hex, rhex);
	}
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) < 0 || close(fd) < 0) {
		log_error("files", "cannot write '%s': %s", tmp.buf, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp.buf);
		err_set(e, ERR_INTERNAL, NULL, "无法保存附件");
		goto out;
	}
	fd = -1;
	if (rename(tmp.buf, path.buf) < 0) {
		log_error("files", "cannot rename '%s': %s", tmp.buf, strerror(errno));
		unlink(tmp.buf);
		err_set(e, ERR_INTERNAL, NULL, "无法保存附件");
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&path);
	strbuf_release(&tmp);
	return rc;
}

/* POST /api/v1/meetings/{id}/files?name=FILE <bytes> -> 201 file | 404 | 413 | 422 */
static int h_upload(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting m;
	struct meeting_file f = { 0 };
	struct actor who = req_actor(req);
	struct jsonw w = JSONW_INIT;
	const struct file_kind *k;
	const char *name = NULL, *why;
	unsigned char digest[SM3_LEN];
	char hex[2 * SM3_LEN + 1];

	if (store_meeting_get(req->db, req->arena, req_scope(req), req->params[0], &m, e) < 0 ||
	    param_str(req, "name", 200, &name, e) < 0)
		return -1;
	if (!name || strchr(name, '/') || strchr(name, '\\'))
		return err_field(e, "name", "请提供文件名");
	if (req->body_len == 0)
		return err_field(e, "file", "文件是空的");
	if (!(k = check_kind(name, req->body, req->body_len, &why)))
		return err_field(e, "file", "%s", why);
	crypto_sm3(req->body, req->body_len, digest);
	crypto_hex(digest, sizeof(digest), hex);
	if (store_blob(req->cfg->files_dir, hex, req->body, req->body_len, e) < 0)
		return -1;
	f.meeting_id = m.id;
	f.name = name;
	f.content_type = k->type;
	f.size = (int64_t)req->body_len;
	f.sm3 = hex;
	f.created_by = who.name;
	if (store_begin(req->db, e) < 0 || store_meeting_file_add(req->db, &f, e) < 0 ||
	    store_audit(req->db, &who, "meeting.file_add", "meeting", m.id, NULL,
			arena_printf(req->arena, "{\"file_id\":%lld,\"size\":%lld,\"sm3\":\"%s\"}",
				     (long long)f.id, (long long)f.size, hex),
			e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "id", f.id);
	jsonw_kv_int(&w, "meeting_id", m.id);
	jsonw_kv_str(&w, "name", f.name);
	jsonw_kv_str(&w, "content_type", f.content_type);
	jsonw_kv_int(&w, "size", f.size);
	jsonw_kv_str(&w, "sm3", hex);
	jsonw_object_end(&w);
	return reply_jsonw(rep, 201, &w);
}

/* GET /api/v1/meetings/{id}/files/{file} -> the file | 404 */
static int h_download(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting m;
	struct meeting_file f;
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char buf[65536];
	ssize_t n;
	int fd = -1, rc = -1;

	if (store_meeting_get(req->db, req->arena, req_scope(req), req->params[0], &m, e) < 0 ||
	    store_meeting_file_get(req->db, req->arena, m.id, req->params[1], &f, e) < 0)
		goto out;
	strbuf_addf(&path, "%s/%s", req->cfg->files_dir, f.sm3);
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("files", "cannot open '%s': %s", path.buf, strerror(errno));
		err_set(e, ERR_INTERNAL, "file_missing", "附件文件丢失");
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(&body, buf, (size_t)n);
	if (n < 0) {
		err_set(e, ERR_INTERNAL, NULL, "无法读取附件");
		goto out;
	}
	rep->status = 200;
	rep->content_type = f.content_type;
	http_reply_header(rep, "Content-Disposition",
			  arena_printf(req->arena, "attachment; filename=\"file-%lld%s\"", (long long)f.id,
				       strrchr(f.name, '.') ? strrchr(f.name, '.') : ""));
	rep->body = strbuf_detach(&body, &rep->body_len);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	strbuf_release(&path);
	strbuf_release(&body);
	return rc;
}

/* DELETE /api/v1/meetings/{id}/files/{file} -> 204 | 404 */
static int h_remove(struct http_req *req, struct http_reply *rep, struct err *e)
{
	struct meeting m;
	struct meeting_file f;
	struct actor who = req_actor(req);

	if (store_meeting_get(req->db, req->arena, req_scope(req), req->params[0], &m, e) < 0 ||
	    store_meeting_file_get(req->db, req->arena, m.id, req->params[1], &f, e) < 0)
		return -1;
	if (store_begin(req->db, e) < 0 || store_meeting_file_delete(req->db, m.id, f.id, e) < 0 ||
	    store_audit(req->db, &who, "meeting.file_delete", "meeting", m.id,
			arena_printf(req->arena, "{\"file_id\":%lld,\"sm3\":\"%s\"}", (long long)f.id, f.sm3),
			NULL, e) < 0 ||
	    store_commit(req->db, e) < 0)
		return -1;
	/*
	 * The bytes stay on disk even when no record names them any more: removing them
	 * here would race with an upload of the same content that found them a moment
	 * ago. Unreferenced, never lost.
	 */
	rep->status = 204;
	return 0;
}

const struct route meeting_file_routes[] = {
	{ "POST", "/api/v1/meetings/{id}/files", h_upload, ROUTE_RAW_BODY, PERM_MEMBER_WRITE },
	{ "GET", "/api/v1/meetings/{id}/files/{file}", h_download, 0, PERM_ORG_READ },
	{ "DELETE", "/api/v1/meetings/{id}/files/{file}", h_remove, 0, PERM_MEMBER_WRITE },
	{ NULL, NULL, NULL, 0, 0 },
};
