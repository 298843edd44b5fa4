/* store.c — SQLite: opening, migrations, transactions, and every statement.
 *
 * Statements are prepared once per connection and cached by their SQL text's
 * address (each SQL string is a static literal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "kesu/conf.h"
#include "kesu/search.h"
#include "private.h"

ks_status store_db_err(store *s, ks_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(s->db);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return ks_errf(err, KS_CONFLICT, "数据库繁忙，请稍后再试（%s）", what);
	if ((rc & 0xff) == SQLITE_READONLY)
		return ks_errf(err, KS_FAIL, "数据库只读，无法写入（%s）", what);
	if ((rc & 0xff) == SQLITE_FULL)
		return ks_errf(err, KS_FAIL, "磁盘已满，无法写入（%s）", what);
	if ((rc & 0xff) == SQLITE_IOERR)
		return ks_errf(err, KS_FAIL, "磁盘读写出错（%s）：%s", what, sqlite3_errstr(rc));
	return ks_errf(err, KS_FAIL, "数据库错误（%s）：%s", what, sqlite3_errmsg(s->db));
}

/* The cached statement for sql, reset and with bindings cleared. NULL on error. */
sqlite3_stmt *store_stmt(store *s, const char *sql, ks_err *err)
{
	for (int i = 0; i < s->ncache; i++)
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_db_err(s, err, "准备语句");
		return NULL;
	}
	/* every statement is kept until store_close: one not kept would be
	 * prepared again on each call and never finalized */
	if (s->ncache == s->cache_cap) {
		int cap = s->cache_cap ? 2 * s->cache_cap : 64;
		s->cache = ks_realloc(s->cache, (size_t)cap * sizeof *s->cache);
		s->cache_cap = cap;
	}
	s->cache[s->ncache].sql = sql;
	s->cache[s->ncache].st = st;
	s->ncache++;
	return st;
}

void store_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

void store_bind_int(sqlite3_stmt *st, const char *name, long long v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

char *store_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? ks_strdup((const char *)t) : NULL;
}


extern const char *const kesu_schema[];
extern const int kesu_schema_count;

ks_status store_exec(store *s, const char *sql, ks_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		/* say what was being done, not SQLite's message twice */
		const char *what = !strcmp(sql, "COMMIT") ? "提交事务"
		                 : !strcmp(sql, "BEGIN IMMEDIATE") ? "开始事务"
		                 : !strncmp(sql, "PRAGMA", 6) ? "设置数据库参数"
		                 : "执行数据库语句";
		ks_status st = store_db_err(s, err, what);
		sqlite3_free(msg);
		return st;
	}
	return KS_OK;
}

static ks_status migrate(store *s, ks_err *err)
{
	int have = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return store_db_err(s, err, "读取数据库版本");
	if (sqlite3_step(st) == SQLITE_ROW)
		have = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (have > kesu_schema_count)
		return ks_errf(err, KS_FAIL,
		               "数据库版本为 %d，比本程序支持的版本 %d 新；请使用更新版本的 kesu，不要用旧版本打开它",
		               have, kesu_schema_count);
	if (have == kesu_schema_count)
		return KS_OK;
	if (have > 0) {
		/* an upgrade: keep a copy of the database as it was, next to it.
		 * A copy already there (another process, or an earlier attempt) is
		 * of the same version and is kept. */
		char *bak = ks_asprintf("%s.v%d.bak", s->path, have);
		ks_err e;
		ks_status brc = access(bak, F_OK) == 0 ? KS_OK : store_backup(s, bak, &e);
		if (brc && access(bak, F_OK) != 0) {
			ks_status r2 = ks_errf(err, KS_FAIL, "升级数据库前无法备份到 %s：%s", bak, e.msg);
			free(bak);
			return r2;
		}
		free(bak);
	}
	ks_status rc = store_begin(s, err);
	if (rc)
		return rc;
	/* re-read inside the write lock: another process may have migrated */
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) {
		rc = store_db_err(s, err, "读取数据库版本");
		goto fail;
	}
	have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	for (int v = have; v < kesu_schema_count; v++) {
		if ((rc = store_exec(s, kesu_schema[v], err)))
			goto fail;
	}
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", kesu_schema_count);
	if ((rc = store_exec(s, sql, err)))
		goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return rc;
}

ks_status store_open(const char *path, bool create, store **out, ks_err *err)
{
	*out = NULL;
	store *s = ks_calloc(1, sizeof *s);
	s->lock_fd = -1;
	s->path = ks_strdup(path);
	/* no allocation statistics (nothing reads them): SQLite's every malloc
	 * and free otherwise takes a global mutex. Before the first connection
	 * only; later it is refused (SQLITE_MISUSE), which is harmless. */
	static bool configured;
	if (!configured) {
		configured = true;
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
	ks_status rc;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		if (!create && sqlite3_errcode(s->db) == SQLITE_CANTOPEN)
			rc = ks_errf(err, KS_NOTFOUND, "找不到数据库 %s（先用 kesu init 创建数据目录）", path);
		else
			rc = ks_errf(err, KS_FAIL, "无法打开数据库 %s：%s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_MS);
	store_txn_init(s);
	if ((rc = store_exec(s, "PRAGMA foreign_keys = ON", err)))
		goto fail;
	/* journal_mode=WAL is persistent; setting it needs no lock once set */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK) {
		rc = store_db_err(s, err, "设置 WAL 模式");
		goto fail;
	}
	int step = sqlite3_step(st);
	const char *mode = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	bool wal = mode && !strcmp(mode, "wal");
	sqlite3_finalize(st);
	if (step != SQLITE_ROW) {
		rc = store_db_err(s, err, "设置 WAL 模式");
		goto fail;
	}
	if (!wal) {
		rc = ks_errf(err, KS_FAIL, "数据库 %s 无法使用 WAL 模式（文件系统不支持？）", path);
		goto fail;
	}
	if ((rc = store_exec(s, "PRAGMA synchronous = FULL", err)))
		goto fail;
	/* the search table's tokenizer, before any migration creates or uses it */
	if ((rc = store_search_register(s, err)))
		goto fail;
	if ((rc = migrate(s, err)))
		goto fail;
	*out = s;
	return KS_OK;
fail:
	store_close(s);
	return rc;
}

void store_close(store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	free(s->cache);
	sqlite3_close(s->db);
	store_txn_close(s);
	free(s->path);
	free(s);
}

/* store_begin, store_commit, store_rollback: txn.c */

ks_status store_step(store *s, sqlite3_stmt *st, ks_err *err, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_db_err(s, err, what);
	return KS_OK;
}

ks_status store_sync_org(store *s, const conf *c, ks_err *err)
{
	static const char q_hash[] = "SELECT value FROM meta WHERE key = 'config_hash'";
	static const char q_set_hash[] =
		"INSERT INTO meta(key, value) VALUES ('config_hash', :v) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	static const char q_dept[] =
		"INSERT INTO dept(code, name, parent) VALUES (:code, :name, :parent) "
		"ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent = excluded.parent";
	static const char q_inactive[] = "UPDATE staff SET active = 0";
	static const char q_staff[] =
		"INSERT INTO staff(login, name, dept, roles, approval_limit_fen, active) "
		"VALUES (:login, :name, :dept, :roles, :limit, :active) "
		"ON CONFLICT(login) DO UPDATE SET name = excluded.name, dept = excluded.dept, "
		"roles = excluded.roles, approval_limit_fen = excluded.approval_limit_fen, "
		"active = excluded.active";
	sqlite3_stmt *st = store_stmt(s, q_hash, err);
	if (!st)
		return KS_FAIL;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), c->hash)) {
		sqlite3_reset(st);
		return KS_OK;
	}
	sqlite3_reset(st);
	ks_status rc = store_begin(s, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < c->ndepts; i++) {
		if (!(st = store_stmt(s, q_dept, err))) { rc = KS_FAIL; goto fail; }
		store_bind_text(st, ":code", c->depts[i].code);
		store_bind_text(st, ":name", c->depts[i].name);
		store_bind_text(st, ":parent", c->depts[i].parent);
		if ((rc = store_step(s, st, err, "同步部门")))
			goto fail;
	}
	if ((rc = store_exec(s, q_inactive, err)))
		goto fail;
	for (size_t i = 0; i < c->nstaff; i++) {
		const conf_staff *p = &c->staff[i];
		char roles[512] = "";
		for (size_t k = 0; k < p->nroles; k++) {
			if (k)
				strncat(roles, " ", sizeof roles - strlen(roles) - 1);
			strncat(roles, p->roles[k], sizeof roles - strlen(roles) - 1);
		}
		if (!(st = store_stmt(s, q_staff, err))) { rc = KS_FAIL; goto fail; }
		store_bind_text(st, ":login", p->login);
		store_bind_text(st, ":name", p->name);
		store_bind_text(st, ":dept", p->dept);
		store_bind_text(st, ":roles", roles);
		if (p->approval_limit_fen != CONF_NO_LIMIT)
			store_bind_int(st, ":limit", p->approval_limit_fen);
		store_bind_int(st, ":active", p->active);
		if ((rc = store_step(s, st, err, "同步员工")))
			goto fail;
	}
	if (!(st = store_stmt(s, q_set_hash, err))) { rc = KS_FAIL; goto fail; }
	store_bind_text(st, ":v", c->hash);
	if ((rc = store_step(s, st, err, "记录配置版本")))
		goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return rc;
}

ks_status store_next_seq(store *s, const char *period, long long *seq, ks_err *err)
{
	static const char q[] =
		"INSERT INTO number_seq(period, last) VALUES (:p, 1) "
		"ON CONFLICT(period) DO UPDATE SET last = last + 1 RETURNING last";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":p", period);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_err(s, err, "分配案件编号");
	*seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return KS_OK;
}

void store_case_clear(store_case *c)
{
	free(c->no); free(c->state); free(c->dept); free(c->assignee); free(c->registrant);
	free(c->customer); free(c->subject); free(c->fields); free(c->updated_by);
	memset(c, 0, sizeof *c);
}

void store_cases_free(store_case *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_case_clear(&v[i]);
	free(v);
}

#define CASE_COLS "id, no, state, dept, assignee, registrant, customer, subject, fields, " \
                  "created_at, updated_at, updated_by, version, 0"

void store_read_case(sqlite3_stmt *st, store_case *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->no = store_col_text(st, 1);
	c->state = store_col_text(st, 2);
	c->dept = store_col_text(st, 3);
	c->assignee = store_col_text(st, 4);
	c->registrant = store_col_text(st, 5);
	c->customer = store_col_text(st, 6);
	c->subject = store_col_text(st, 7);
	c->fields = store_col_text(st, 8);
	c->created_at = (time_t)sqlite3_column_int64(st, 9);
	c->updated_at = (time_t)sqlite3_column_int64(st, 10);
	c->updated_by = store_col_text(st, 11);
	c->version = sqlite3_column_int(st, 12);
	c->next_due = (time_t)sqlite3_column_int64(st, 13);
}

static void bind_case(sqlite3_stmt *st, const store_case *c)
{
	store_bind_text(st, ":no", c->no);
	store_bind_text(st, ":state", c->state);
	store_bind_text(st, ":dept", c->dept);
	store_bind_text(st, ":assignee", c->assignee);
	store_bind_text(st, ":registrant", c->registrant);
	store_bind_text(st, ":customer", c->customer);
	store_bind_text(st, ":subject", c->subject);
	store_bind_text(st, ":fields", c->fields ? c->fields : "{}");
	store_bind_int(st, ":created_at", c->created_at);
	store_bind_int(st, ":updated_at", c->updated_at);
	store_bind_text(st, ":updated_by", c->updated_by);
	store_bind_int(st, ":version", c->version);
	store_bind_int(st, ":id", c->id);
}

ks_status store_case_insert(store *s, store_case *c, ks_err *err)
{
	static const char q[] =
		"INSERT INTO cases(no, state, dept, assignee, registrant, customer, subject, fields, "
		"created_at, updated_at, updated_by, version) VALUES (:no, :state, :dept, :assignee, "
		":registrant, :customer, :subject, :fields, :created_at, :updated_at, :updated_by, :version)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	bind_case(st, c);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "登记案件");
	c->id = sqlite3_last_insert_rowid(s->db);
	return KS_OK;
}

ks_status store_case_get(store *s, const char *no, store_case *out, ks_err *err)
{
	static const char q[] = "SELECT " CASE_COLS " FROM cases WHERE no = :no";
	store_case_clear(out);
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":no", no);
	int r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return ks_errf(err, KS_NOTFOUND, "找不到案件 %s", no);
	if (r != SQLITE_ROW)
		return store_db_err(s, err, "读取案件");
	store_read_case(st, out);
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_case_update(store *s, const store_case *c, int old_version, ks_err *err)
{
	/* SQLite rewrites an index entry whenever the UPDATE names one of its
	 * columns, changed or not: with dept in the SET list every action wrote
	 * a page of cases_created_dept (created_at, dept). So the department,
	 * which few actions change, is set by a second statement that changes
	 * nothing (and writes nothing) when it is the same. */
	static const char q[] =
		"UPDATE cases SET state = :state, assignee = :assignee, customer = :customer, "
		"subject = :subject, fields = :fields, updated_at = :updated_at, updated_by = :updated_by, "
		"version = :version WHERE id = :id AND version = :old";
	static const char q_dept[] = "UPDATE cases SET dept = :dept WHERE id = :id AND dept IS NOT :dept";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	bind_case(st, c);
	store_bind_int(st, ":old", old_version);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "更新案件");
	if (sqlite3_changes(s->db) != 1)
		return ks_errf(err, KS_CONFLICT, "案件 %s 已被他人修改", c->no);
	if (!(st = store_stmt(s, q_dept, err)))
		return KS_FAIL;
	store_bind_int(st, ":id", c->id);
	store_bind_text(st, ":dept", c->dept);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "更新案件");
	return KS_OK;
}

ks_status store_case_involves(store *s, long long case_id, const char *login, bool *out, ks_err *err)
{
	static const char q[] = "SELECT EXISTS (SELECT 1 FROM events WHERE case_id = :id AND actor = :who)";
	*out = false;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	store_bind_text(st, ":who", login);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_err(s, err, "读取历史");
	*out = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	return KS_OK;
}

void store_events_free(store_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].actor); free(v[i].action); free(v[i].from_state);
		free(v[i].to_state); free(v[i].fields);
	}
	free(v);
}

ks_status store_last_hash(store *s, char out[65], ks_err *err)
{
	static const char q[] = "SELECT hash FROM events ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	else if (r == SQLITE_DONE)
		memset(out, '0', 64), out[64] = '\0';
	else
		return store_db_err(s, err, "读取审计链");
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_event_insert(store *s, store_event *e, ks_err *err)
{
	static const char q[] =
		"INSERT INTO events(case_id, seq, at, actor, action, from_state, to_state, fields, "
		"prev_hash, hash) VALUES (:case_id, :seq, :at, :actor, :action, :from, :to, :fields, "
		":prev, :hash)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", e->case_id);
	store_bind_int(st, ":seq", e->seq);
	store_bind_int(st, ":at", e->at);
	store_bind_text(st, ":actor", e->actor);
	store_bind_text(st, ":action", e->action);
	store_bind_text(st, ":from", e->from_state);
	store_bind_text(st, ":to", e->to_state);
	store_bind_text(st, ":fields", e->fields ? e->fields : "{}");
	store_bind_text(st, ":prev", e->prev_hash);
	store_bind_text(st, ":hash", e->hash);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_err(s, err, "记录历史");
	e->id = sqlite3_last_insert_rowid(s->db);
	return KS_OK;
}

static void read_event(sqlite3_stmt *st, store_event *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->case_id = sqlite3_column_int64(st, 1);
	e->seq = sqlite3_column_int(st, 2);
	e->at = (time_t)sqlite3_column_int64(st, 3);
	e->actor = store_col_text(st, 4);
	e->action = store_col_text(st, 5);
	e->from_state = store_col_text(st, 6);
	e->to_state = store_col_text(st, 7);
	e->fields = store_col_text(st, 8);
	snprintf(e->prev_hash, sizeof e->prev_hash, "%s", (const char *)sqlite3_column_text(st, 9));
	snprintf(e->hash, sizeof e->hash, "%s", (const char *)sqlite3_column_text(st, 10));
}

#define EVENT_COLS "id, case_id, seq, at, actor, action, from_state, to_state, fields, prev_hash, hash"

ks_status store_events(store *s, long long case_id, store_event **out, size_t *n, ks_err *err)
{
	static const char q[] = "SELECT " EVENT_COLS " FROM events WHERE case_id = :id ORDER BY seq";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		memset(&(*out)[*n], 0, sizeof **out);
		read_event(st, &(*out)[(*n)++]);
	}
	if (r != SQLITE_DONE) {
		store_events_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取历史");
	}
	return KS_OK;
}

ks_status store_last_event(store *s, long long case_id, store_event *out, ks_err *err)
{
	static const char q[] = "SELECT " EVENT_COLS " FROM events WHERE case_id = :id ORDER BY seq DESC LIMIT 1";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	int r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		return ks_errf(err, KS_NOTFOUND, "案件没有历史记录");
	if (r != SQLITE_ROW)
		return store_db_err(s, err, "读取历史");
	read_event(st, out);
	sqlite3_reset(st);
	return KS_OK;
}

void store_forms_free(store_form *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].form); free(v[i].actor); free(v[i].fields);
	}
	free(v);
}

ks_status store_form_insert(store *s, store_form *f, ks_err *err)
{
	static const char q[] =
		"INSERT INTO forms(case_id, form, revision, event_id, at, actor, fields) "
		"VALUES (:case_id, :form, (SELECT COALESCE(MAX(revision), 0) + 1 FROM forms "
		"WHERE case_id = :case_id AND form = :form), :event_id, :at, :actor, :fields) "
		"RETURNING id, revision";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", f->case_id);
	store_bind_text(st, ":form", f->form);
	store_bind_int(st, ":event_id", f->event_id);
	store_bind_int(st, ":at", f->at);
	store_bind_text(st, ":actor", f->actor);
	store_bind_text(st, ":fields", f->fields);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_err(s, err, "保存表单");
	f->id = sqlite3_column_int64(st, 0);
	f->revision = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_forms(store *s, long long case_id, store_form **out, size_t *n, ks_err *err)
{
	static const char q[] =
		"SELECT id, case_id, event_id, form, revision, at, actor, fields FROM forms "
		"WHERE case_id = :id ORDER BY id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		store_form *f = &(*out)[(*n)++];
		f->id = sqlite3_column_int64(st, 0);
		f->case_id = sqlite3_column_int64(st, 1);
		f->event_id = sqlite3_column_int64(st, 2);
		f->form = store_col_text(st, 3);
		f->revision = sqlite3_column_int(st, 4);
		f->at = (time_t)sqlite3_column_int64(st, 5);
		f->actor = store_col_text(st, 6);
		f->fields = store_col_text(st, 7);
	}
	if (r != SQLITE_DONE) {
		store_forms_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取表单");
	}
	return KS_OK;
}

void store_deadlines_free(store_deadline *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].clock); free(v[i].label); free(v[i].unit); free(v[i].status);
		free(v[i].calendar_version); free(v[i].case_no); free(v[i].case_state); free(v[i].case_dept);
	}
	free(v);
}

#define DEADLINE_COLS "d.id, d.case_id, d.clock, d.label, d.unit, d.status, d.calendar_version, " \
                      "d.started_at, d.due_at, d.stopped_at"

static void read_deadline(sqlite3_stmt *st, store_deadline *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(st, 0);
	d->case_id = sqlite3_column_int64(st, 1);
	d->clock = store_col_text(st, 2);
	d->label = store_col_text(st, 3);
	d->unit = store_col_text(st, 4);
	d->status = store_col_text(st, 5);
	d->calendar_version = store_col_text(st, 6);
	d->started_at = (time_t)sqlite3_column_int64(st, 7);
	d->due_at = (time_t)sqlite3_column_int64(st, 8);
	d->stopped_at = (time_t)sqlite3_column_int64(st, 9);
}

/* Run a prepared query returning deadline rows (with extra case columns when
 * with_case), collecting them into *out. */
static ks_status collect_deadlines(store *s, sqlite3_stmt *st, bool with_case, store_deadline **out,
                                   size_t *n, ks_err *err)
{
	size_t cap = 0;
	int r;
	*out = NULL;
	*n = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		store_deadline *d = &(*out)[(*n)++];
		read_deadline(st, d);
		if (with_case) {
			d->case_no = store_col_text(st, 10);
			d->case_state = store_col_text(st, 11);
			d->case_dept = store_col_text(st, 12);
		}
	}
	if (r != SQLITE_DONE) {
		store_deadlines_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取时限");
	}
	return KS_OK;
}

ks_status store_deadlines(store *s, long long case_id, store_deadline **out, size_t *n, ks_err *err)
{
	static const char q[] = "SELECT " DEADLINE_COLS " FROM deadlines d WHERE d.case_id = :id "
	                        "ORDER BY d.started_at, d.id";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	return collect_deadlines(s, st, false, out, n, err);
}

ks_status store_deadlines_open(store *s, bool late_finished, store_deadline **out, size_t *n, ks_err *err)
{
	static const char q_open[] =
		"SELECT " DEADLINE_COLS ", c.no, c.state, c.dept FROM deadlines d JOIN cases c ON c.id = d.case_id "
		"WHERE d.status IN ('running', 'paused') ORDER BY d.due_at, d.id";
	static const char q_late[] =
		"SELECT " DEADLINE_COLS ", c.no, c.state, c.dept FROM deadlines d JOIN cases c ON c.id = d.case_id "
		"WHERE d.status = 'breached' AND d.stopped_at IS NOT NULL AND NOT EXISTS "
		"(SELECT 1 FROM reminders r WHERE r.case_id = d.case_id AND r.clock = d.clock "
		"AND r.started_at = d.started_at AND r.kind = 'inquiry') "
		"ORDER BY d.stopped_at, d.id";
	sqlite3_stmt *st = store_stmt(s, late_finished ? q_late : q_open, err);
	if (!st)
		return KS_FAIL;
	return collect_deadlines(s, st, true, out, n, err);
}

ks_status store_deadline_put(store *s, const store_deadline *d, ks_err *err)
{
	static const char q[] =
		"INSERT INTO deadlines(case_id, clock, label, unit, started_at, due_at, stopped_at, status, "
		"calendar_version) VALUES (:case_id, :clock, :label, :unit, :started, :due, :stopped, :status, :cv) "
		"ON CONFLICT(case_id, clock) DO UPDATE SET label = excluded.label, unit = excluded.unit, "
		"started_at = excluded.started_at, due_at = excluded.due_at, stopped_at = excluded.stopped_at, "
		"status = excluded.status, calendar_version = excluded.calendar_version";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", d->case_id);
	store_bind_text(st, ":clock", d->clock);
	store_bind_text(st, ":label", d->label);
	store_bind_text(st, ":unit", d->unit);
	store_bind_int(st, ":started", d->started_at);
	store_bind_int(st, ":due", d->due_at);
	if (d->stopped_at)
		store_bind_int(st, ":stopped", d->stopped_at);
	store_bind_text(st, ":status", d->status);
	store_bind_text(st, ":cv", d->calendar_version);
	return store_step(s, st, err, "保存时限");
}

ks_status store_reminder_add(store *s, store_reminder *r, bool *inserted, ks_err *err)
{
	static const char q[] =
		"INSERT OR IGNORE INTO reminders(case_id, clock, started_at, kind, level, at, dept, role, due_at, late, "
		"login) VALUES (:case_id, :clock, :started, :kind, :level, :at, :dept, :role, :due, :late, :login)";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":case_id", r->case_id);
	store_bind_text(st, ":clock", r->clock);
	store_bind_int(st, ":started", r->started_at);
	store_bind_text(st, ":kind", r->kind);
	store_bind_int(st, ":level", r->level);
	store_bind_int(st, ":at", r->at);
	store_bind_text(st, ":dept", r->dept);
	store_bind_text(st, ":role", r->role);
	store_bind_int(st, ":due", r->due_at);
	store_bind_int(st, ":late", r->late);
	store_bind_text(st, ":login", r->login);
	ks_status rc = store_step(s, st, err, "记录催办");
	*inserted = rc == KS_OK && sqlite3_changes(s->db) == 1;
	if (*inserted)
		r->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/* Read the reminder rows of st (columns as in store_reminders). */
static ks_status reminders_collect(store *s, sqlite3_stmt *st, store_reminder **out, size_t *n, ks_err *err)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = ks_realloc(*out, cap * sizeof **out);
		}
		store_reminder *m = &(*out)[(*n)++];
		m->id = sqlite3_column_int64(st, 0);
		m->case_id = sqlite3_column_int64(st, 1);
		m->clock = store_col_text(st, 2);
		m->kind = store_col_text(st, 3);
		m->dept = store_col_text(st, 4);
		m->role = store_col_text(st, 5);
		m->level = sqlite3_column_int(st, 6);
		m->at = (time_t)sqlite3_column_int64(st, 7);
		m->due_at = (time_t)sqlite3_column_int64(st, 8);
		m->late = sqlite3_column_int64(st, 9);
		m->case_no = store_col_text(st, 10);
		m->login = store_col_text(st, 11);
		m->started_at = (time_t)sqlite3_column_int64(st, 12);
	}
	if (r != SQLITE_DONE) {
		store_reminders_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_db_err(s, err, "读取催办");
	}
	sqlite3_reset(st);
	return KS_OK;
}

ks_status store_reminders(store *s, long long case_id, store_reminder **out, size_t *n, ks_err *err)
{
	/* one statement per filter: `(:id = 0 OR r.case_id = :id)` is planned
	 * before the value is known, as a scan of every reminder, which `kesu
	 * show` paid for one case (as store_penalties) */
	static const char q_case[] =
		"SELECT r.id, r.case_id, r.clock, r.kind, r.dept, r.role, r.level, r.at, r.due_at, r.late, c.no, r.login, "
		"r.started_at "
		"FROM reminders r JOIN cases c ON c.id = r.case_id WHERE r.case_id = :id ORDER BY r.id";
	static const char q_all[] =
		"SELECT r.id, r.case_id, r.clock, r.kind, r.dept, r.role, r.level, r.at, r.due_at, r.late, c.no, r.login, "
		"r.started_at "
		"FROM reminders r JOIN cases c ON c.id = r.case_id ORDER BY r.id";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, case_id != 0 ? q_case : q_all, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", case_id);
	return reminders_collect(s, st, out, n, err);
}

ks_status store_reminders_to(store *s, const char *login, const char *dept, const char *roles_json, int limit,
                             store_reminder **out, size_t *n, ks_err *err)
{
	static const char q[] =
		"SELECT r.id, r.case_id, r.clock, r.kind, r.dept, r.role, r.level, r.at, r.due_at, r.late, c.no, r.login, "
		"r.started_at "
		"FROM reminders r JOIN cases c ON c.id = r.case_id "
		"WHERE (r.role IS NULL AND r.dept = :dept) "
		"   OR r.role IN (SELECT value FROM json_each(:roles)) "
		"   OR r.login = :login "
		"ORDER BY r.id DESC LIMIT :limit";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":login", login);
	store_bind_text(st, ":dept", dept);
	store_bind_text(st, ":roles", roles_json);
	store_bind_int(st, ":limit", limit > 0 ? limit : -1);
	return reminders_collect(s, st, out, n, err);
}

ks_status store_reminder_get(store *s, long long id, store_reminder **out, ks_err *err)
{
	static const char q[] =
		"SELECT r.id, r.case_id, r.clock, r.kind, r.dept, r.role, r.level, r.at, r.due_at, r.late, c.no, r.login, "
		"r.started_at FROM reminders r JOIN cases c ON c.id = r.case_id WHERE r.id = :id";
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_int(st, ":id", id);
	size_t n = 0;
	ks_status rc = reminders_collect(s, st, out, &n, err);
	if (rc == KS_OK && n == 0)
		return ks_errf(err, KS_NOTFOUND, "没有第 %lld 号催办记录", id);
	return rc;
}

void store_reminders_free(store_reminder *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].clock); free(v[i].kind); free(v[i].dept); free(v[i].role); free(v[i].case_no);
		free(v[i].login);
	}
	free(v);
}

char *store_meta_get(store *s, const char *key)
{
	static const char q[] = "SELECT value FROM meta WHERE key = :k";
	sqlite3_stmt *st = store_stmt(s, q, NULL);
	if (!st)
		return NULL;
	store_bind_text(st, ":k", key);
	char *v = sqlite3_step(st) == SQLITE_ROW ? store_col_text(st, 0) : NULL;
	sqlite3_reset(st);
	return v;
}

ks_status store_meta_set(store *s, const char *key, const char *value, ks_err *err)
{
	static const char q[] = "INSERT INTO meta(key, value) VALUES (:k, :v) "
	                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	store_bind_text(st, ":k", key);
	store_bind_text(st, ":v", value);
	return store_step(s, st, err, "记录设置");
}

ks_status store_data_version(store *s, long long *out, ks_err *err)
{
	static const char q[] = "PRAGMA data_version";
	sqlite3_stmt *st = store_stmt(s, q, err);
	if (!st)
		return KS_FAIL;
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_err(s, err, "读取数据版本");
	*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return KS_OK;
}
