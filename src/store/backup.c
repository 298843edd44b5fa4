/* backup.c — a consistent copy of the database while others keep working,
 * with SQLite's online backup API.
 *
 * The source connection holds one read transaction for the whole copy, so
 * every page comes from the same snapshot and the copy never restarts
 * however busy the writers are. In WAL mode a reader blocks no writer; the
 * copy still goes in steps of a few hundred pages with a short pause between
 * them, so a checkpoint or a writer in a rollback-journal database waits at
 * most one step. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "kesu/store.h"
#include "private.h"

#define BACKUP_PAGES 256   /* pages per step (1 MB at 4 KB pages) */
#define BACKUP_PAUSE_MS 5  /* between steps */
#define BACKUP_BUSY_MS BUSY_MS

static ks_status sync_path(const char *path, ks_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ks_errf(err, KS_FAIL, "无法打开 %s：%s", path, strerror(errno));
	int r = fsync(fd);
	int e = errno;
	close(fd);
	if (r != 0 && e != EINVAL && e != EROFS)
		return ks_errf(err, KS_FAIL, "无法同步 %s 到磁盘：%s", path, strerror(e));
	return KS_OK;
}

ks_status store_backup(store *s, const char *dest, ks_err *err)
{
	/* claim dest: it must not exist (an empty file is an empty database) */
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return ks_errf(err, KS_INVALID, "文件 %s 已存在，不会覆盖", dest);
		return ks_errf(err, KS_FAIL, "无法创建 %s：%s", dest, strerror(errno));
	}
	close(fd);

	ks_status rc = KS_OK;
	sqlite3 *d = NULL;
	sqlite3_backup *b = NULL;
	bool reading = false;
	if (sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = ks_errf(err, KS_FAIL, "无法打开 %s：%s", dest, d ? sqlite3_errmsg(d) : "内存不足");
		goto out;
	}
	/* one snapshot for the whole copy */
	if (sqlite3_exec(s->db, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL) != SQLITE_OK) {
		rc = store_db_err(s, err, "开始读取数据库");
		goto out;
	}
	reading = true;
	b = sqlite3_backup_init(d, "main", s->db, "main");
	if (!b) {
		rc = ks_errf(err, KS_FAIL, "无法开始备份：%s", sqlite3_errmsg(d));
		goto out;
	}
	int waited = 0, r;
	for (;;) {
		r = sqlite3_backup_step(b, BACKUP_PAGES);
		if (r == SQLITE_DONE)
			break;
		if (r == SQLITE_OK) {
			sqlite3_sleep(BACKUP_PAUSE_MS);
			continue;
		}
		if ((r == SQLITE_BUSY || r == SQLITE_LOCKED) && waited < BACKUP_BUSY_MS) {
			sqlite3_sleep(50);
			waited += 50;
			continue;
		}
		break;
	}
	int fr = sqlite3_backup_finish(b);
	b = NULL;
	if (r != SQLITE_DONE || fr != SQLITE_OK) {
		int code = r != SQLITE_DONE ? r : fr;
		if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
			rc = ks_errf(err, KS_CONFLICT, "数据库繁忙，备份未完成，请稍后再试");
		else
			rc = ks_errf(err, KS_FAIL, "备份失败：%s", sqlite3_errstr(code));
		goto out;
	}
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	reading = false;
	/* a backup is one self-contained file: no -wal beside it */
	char *msg = NULL;
	if (sqlite3_exec(d, "PRAGMA journal_mode = DELETE", NULL, NULL, &msg) != SQLITE_OK) {
		rc = ks_errf(err, KS_FAIL, "备份失败（设置日志模式）：%s", msg ? msg : sqlite3_errmsg(d));
		sqlite3_free(msg);
		goto out;
	}
out:
	if (b)
		sqlite3_backup_finish(b);
	if (reading)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (d && sqlite3_close(d) != SQLITE_OK && !rc)
		rc = ks_errf(err, KS_FAIL, "无法关闭 %s", dest);
	if (!rc)
		rc = sync_path(dest, err);
	if (rc) {
		unlink(dest);
		char *j = ks_asprintf("%s-journal", dest);
		unlink(j);
		free(j);
	}
	return rc;
}
