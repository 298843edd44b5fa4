/* session.c — open a data directory for work. */
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>
#include "kesu/session.h"
#include "kesu/casesearch.h"
#include "kesu/clock.h"
#include "kesu/deadline.h"
#include "kesu/report.h"

ks_status session_open(const char *dir, session **out, ks_err *err)
{
	*out = NULL;
	session *s = ks_calloc(1, sizeof *s);
	s->dir = ks_strdup(dir);
	char *cdir = ks_asprintf("%s/config", dir);
	char *db = ks_asprintf("%s/kesu.db", dir);
	conf_diags d = {0};
	struct stat sb;
	ks_status rc;
	if (stat(cdir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		/* not "configuration errors": the directory itself is gone */
		rc = ks_errf(err, KS_INVALID, "配置目录 %s 不存在或不是目录（数据目录不完整：从备份恢复 config/）", cdir);
		goto fail;
	}
	rc = conf_load(cdir, &s->cf, &d);
	if (rc) {
		ks_errf(err, rc, "配置有 %zu 处错误，第一处：%s/%s（用 kesu check-config 查看全部）",
		        d.n, cdir, d.n ? d.msgs[0] : "?");
		conf_diags_free(&d);
		goto fail;
	}
	conf_diags_free(&d);
	if ((rc = clock_set_zone(s->cf->timezone, err)))
		goto fail;
	if ((rc = store_open(db, false, &s->st, err)))
		goto fail;
	if ((rc = store_sync_org(s->st, s->cf, err)))
		goto fail;
	size_t nkeys;
	const char **keys = report_field_keys(s->cf, &nkeys);
	rc = store_report_keys_sync(s->st, keys, nkeys, err);
	free(keys);
	/* Busy: another process holds the write lock (after an upgrade, perhaps
	 * filling these same tables). Carry on: a report reads the cases' JSON
	 * for a key not in report_keys, so nothing is wrong, only slower. */
	if (rc == KS_CONFLICT) {
		rc = KS_OK;
		err->msg[0] = '\0';
	}
	if (rc)
		goto fail;
	free(cdir);
	free(db);
	*out = s;
	return KS_OK;
fail:
	free(cdir);
	free(db);
	session_close(s);
	return rc;
}

void session_close(session *s)
{
	if (!s)
		return;
	store_close(s->st);
	conf_free(s->cf);
	free(s->dir);
	search_cache_free(s);
	free(s->fields_text);
	json_decref(s->fields_json);
	free(s);
}

ks_status session_login(session *s, const char *login, ks_err *err)
{
	const conf_staff *p = conf_find_staff(s->cf, login);
	if (!p)
		return ks_errf(err, KS_DENIED, "%s 不是本系统登记的员工（见 staff.yaml）", login);
	if (!p->active)
		return ks_errf(err, KS_DENIED, "员工 %s（%s）已停用，不能再操作", p->name, p->login);
	s->me = p;
	return KS_OK;
}

ks_status session_retime(session *s, bool force, int *changed, ks_err *err)
{
	*changed = 0;
	char *seen = store_meta_get(s->st, "clocks_config");
	bool same = seen && !strcmp(seen, s->cf->hash);
	free(seen);
	if (same && !force)
		return KS_OK;
	ks_status rc = deadline_recompute(s, changed, err);
	if (rc)
		return rc;
	if (same)
		return KS_OK;
	if ((rc = store_begin(s->st, err)))
		return rc;
	if ((rc = store_meta_set(s->st, "clocks_config", s->cf->hash, err))) {
		store_rollback(s->st);
		return rc;
	}
	return store_commit(s->st, err);
}
