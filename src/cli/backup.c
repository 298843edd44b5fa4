/* backup.c — `kesu backup FILE`: a consistent copy of the database while
 * others work.
 *
 * The copy is written to FILE.tmp (SQLite online backup, one snapshot, in
 * steps), then checked: it must open, pass PRAGMA integrity_check and have an
 * intact audit chain whose head is the head of the snapshot. Only then is it
 * moved to FILE, which is never overwritten (exit 2 if it exists, also if it
 * appears meanwhile).
 *
 * Who may: the owner of the data directory acting as themself (cron, the
 * service account), or a member of staff whose roles see every case (a
 * backup holds every case). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/audit.h"

/* Check the copy at path: integrity and audit chain. */
static ks_status verify_copy(const char *path, audit_result *r, ks_err *err)
{
	store *st;
	ks_status rc = store_open_readonly(path, &st, err);
	if (rc)
		return rc == KS_NOTFOUND ? KS_FAIL : rc;
	char *problems = NULL;
	if (!(rc = store_integrity(st, &problems, err)) && problems) {
		rc = ks_errf(err, KS_FAIL, "备份副本未通过完整性检查：%s", problems);
		free(problems);
	}
	if (!rc) {
		ks_err e2;
		if (audit_verify(st, NULL, r, &e2))
			rc = ks_errf(err, KS_FAIL, "备份副本的审计链不完整：%s", e2.msg);
	}
	store_close(st);
	return rc;
}

static void sync_dir_of(const char *path)
{
	char *dir = ks_strdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int cmd_backup(cli *c)
{
	if (c->argc != 1 || !*c->argv[0] || c->argv[0][0] == '-')
		return cli_fail(KS_INVALID, "用法：kesu backup FILE");
	const char *file = c->argv[0];
	struct stat sb;
	if (lstat(file, &sb) == 0) {
		char *m = ks_asprintf("%s 已存在，备份不会覆盖它", file);
		int r = cli_fail(KS_INVALID, m);
		free(m);
		return r;
	}
	/* the owner as themself needs no staff login; anyone else must see all */
	bool as_owner = !c->as && cli_trusted(c->data);
	session *s;
	int rc = cli_open(c, &s, !as_owner);
	if (rc)
		return rc;
	if (!as_owner && conf_staff_sight(s->cf, s->me) != SIGHT_ALL) {
		session_close(s);
		return cli_fail(KS_DENIED, "备份包含全部案件，只有可查看全部案件的角色或数据目录的所有者可以备份");
	}
	char *tmp = ks_asprintf("%s.tmp", file);
	ks_err err;
	ks_status st = store_backup(s->st, tmp, &err);
	session_close(s);
	if (st == KS_INVALID) {
		free(tmp);
		char *m = ks_asprintf("%s（上次备份中断留下的？确认后删除它再试）", err.msg);
		int r = cli_fail(KS_INVALID, m);
		free(m);
		return r;
	}
	if (st) {
		free(tmp);
		return cli_fail(st, err.msg);
	}
	audit_result ar;
	if ((st = verify_copy(tmp, &ar, &err))) {
		unlink(tmp);
		free(tmp);
		return cli_fail(st, err.msg);
	}
	/* move into place without ever replacing a file that appeared meanwhile */
	if (link(tmp, file) != 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		char *m = e == EEXIST ? ks_asprintf("%s 已存在，备份不会覆盖它", file)
		                      : ks_asprintf("无法写入 %s：%s", file, strerror(e));
		int r = cli_fail(e == EEXIST ? KS_INVALID : KS_FAIL, m);
		free(m);
		return r;
	}
	unlink(tmp);
	free(tmp);
	sync_dir_of(file);
	if (lstat(file, &sb) != 0)
		sb.st_size = 0;
	if (c->json) {
		json_t *o = json_pack("{s:s, s:I, s:s, s:I, s:s, s:s}", "file", file, "bytes", (json_int_t)sb.st_size,
		                      "integrity", "ok", "events", (json_int_t)ar.nevents, "head", ar.head,
		                      "audit", "intact");
		cli_json(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("已备份到 ");
		cli_put(stdout, file);
		printf("（%lld 字节）：完整性检查通过，审计链完整（%lld 条事件，头哈希 %s）\n", (long long)sb.st_size,
		       ar.nevents, ar.head);
	}
	return 0;
}
