/* audit.c — `kesu audit verify [--head HASH]`, `kesu audit head`, and
 * `kesu keys LOGIN PUBKEY-FILE` (the authorized_keys line for a member of
 * staff reaching kesu through the SSH service account). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/audit.h"
#include "kesu/text.h"

/* ---- audit ----------------------------------------------------------------- */

static int audit_usage(void)
{
	return cli_fail(KS_INVALID, "用法：kesu audit verify [--head HEAD] | kesu audit head");
}

static int audit_verify_cmd(cli *c, session *s)
{
	const char *head = NULL;
	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--head") && i + 1 < c->argc)
			head = c->argv[++i];
		else if (!strncmp(c->argv[i], "--head=", 7))
			head = c->argv[i] + 7;
		else
			return audit_usage();
	}
	audit_result r;
	ks_err err;
	ks_status rc = audit_verify(s->st, head, &r, &err);
	if (rc)
		return cli_fail(rc, err.msg);
	/* task names and periods come from the database: shown sanitised */
	char *task = text_visible(r.head_task, false), *period = text_visible(r.head_period, false);
	bool given_t = head && strchr(head, ':');
	if (c->json) {
		json_t *o = json_pack("{s:b, s:I, s:s, s:s, s:I, s:s}", "intact", 1, "events", (json_int_t)r.nevents,
		                      "head", r.head_text, "events_head", r.head, "tasks", (json_int_t)r.ntasks,
		                      "tasks_head", r.tasks_head);
		if (head && r.head_index)
			json_object_set_new(o, "head_event", json_pack("{s:I, s:s, s:I}", "index", (json_int_t)r.head_index,
			                                               "case", r.head_case, "seq", (json_int_t)r.head_seq));
		if (r.head_task_index)
			json_object_set_new(o, "head_task", json_pack("{s:I, s:s, s:s}", "index", (json_int_t)r.head_task_index,
			                                              "task", task, "period", period));
		cli_json(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		if (r.ntasks)
			printf("审计链完整：%lld 条事件、%lld 条周期任务完成记录，头哈希 %s\n", r.nevents, r.ntasks, r.head_text);
		else
			printf("审计链完整：%lld 条事件，头哈希 %s\n", r.nevents, r.head_text);
		if (head && r.head_index)
			printf("给出的头哈希是第 %lld 条事件（案件 %s 第 %lld 条）的哈希，链到它为止未被改动\n", r.head_index,
			       r.head_case, r.head_seq);
		else if (head)
			printf("给出的头哈希是空链的哈希\n");
		if (r.head_task_index)
			printf("其周期任务部分是第 %lld 条周期任务完成记录（%s 第 %s 期）的哈希，完成记录链到它为止未被改动\n",
			       r.head_task_index, task, period);
		else if (given_t)
			printf("其周期任务部分是空的完成记录链的哈希\n");
		else if (head && r.ntasks)
			printf("给出的头哈希不含周期任务部分（记下它时还没有完成记录，或由旧版 kesu 打印），"
			       "不能证明完成记录未被删除\n");
	}
	free(task);
	free(period);
	return 0;
}

static int audit_head_cmd(cli *c, session *s)
{
	if (c->argc != 1)
		return audit_usage();
	audit_head h;
	ks_err err;
	ks_status rc = audit_head_get(s->st, &h, &err);
	if (rc)
		return cli_fail(rc, err.msg);
	if (c->json) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "head", h.text, "events_head", h.events, "tasks_head", h.tasks);
		cli_json(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	} else {
		printf("%s\n", h.text);
	}
	return 0;
}

int cmd_audit(cli *c)
{
	if (c->argc < 1 || (strcmp(c->argv[0], "verify") && strcmp(c->argv[0], "head")))
		return audit_usage();
	session *s;
	int rc = cli_open(c, &s, false);
	if (rc)
		return rc;
	rc = !strcmp(c->argv[0], "verify") ? audit_verify_cmd(c, s) : audit_head_cmd(c, s);
	session_close(s);
	return rc;
}

/* ---- keys ------------------------------------------------------------------ */

static const char *const key_types[] = {
	"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
	"sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
};

#define KEY_FILE_MAX 16384

static int b64val(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z') return ch - 'A';
	if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9') return ch - '0' + 52;
	if (ch == '+') return 62;
	if (ch == '/') return 63;
	return -1;
}

/* Strict base64 (padded, no whitespace) into a new buffer; NULL if invalid. */
static unsigned char *b64decode(const char *s, size_t n, size_t *out_n)
{
	if (n == 0 || n % 4)
		return NULL;
	size_t pad = s[n - 1] == '=' ? (s[n - 2] == '=' ? 2 : 1) : 0;
	unsigned char *out = ks_malloc(n / 4 * 3);
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = 0;
		for (size_t k = 0; k < 4; k++) {
			int d = i + k >= n - pad ? 0 : b64val((unsigned char)s[i + k]);
			if (d < 0) {
				free(out);
				return NULL;
			}
			v = v << 6 | (uint32_t)d;
		}
		out[o++] = (unsigned char)(v >> 16);
		out[o++] = (unsigned char)(v >> 8);
		out[o++] = (unsigned char)v;
	}
	*out_n = o - pad;
	return out;
}

/* Check one public key line "TYPE BASE64 [comment]" (text, NUL-terminated,
 * one trailing newline already removed). Fills type, b64 and comment as
 * pointers into text (which is cut with NULs). KS_INVALID with err. */
static ks_status parse_key(char *text, size_t len, const char **type, const char **b64, const char **comment,
                           ks_err *err)
{
	if (strlen(text) != len)
		return ks_errf(err, KS_INVALID, "公钥文件含有 NUL 字节");
	if (strchr(text, '\n') || strchr(text, '\r'))
		return ks_errf(err, KS_INVALID, "公钥文件应只有一行（TYPE BASE64 [注释]），不能含有换行");
	if (text_check(text, len, false, "公钥", err))
		return KS_INVALID;
	char *sp = strchr(text, ' ');
	if (sp)
		*sp = '\0';
	*type = text;
	bool known = false;
	for (size_t i = 0; i < sizeof key_types / sizeof *key_types; i++)
		known |= !strcmp(text, key_types[i]);
	if (!known)
		return ks_errf(err, KS_INVALID,
		               "公钥应以密钥类型开头（ssh-ed25519、ssh-rsa、ecdsa-sha2-nistp256/384/521、"
		               "sk-ssh-ed25519@openssh.com 或 sk-ecdsa-sha2-nistp256@openssh.com），不能带选项");
	if (!sp)
		return ks_errf(err, KS_INVALID, "公钥缺少 BASE64 部分（应为 TYPE BASE64 [注释]）");
	char *p = sp + 1;
	while (*p == ' ')
		p++;
	char *end = strchr(p, ' ');
	if (end) {
		*end = '\0';
		char *cm = end + 1;
		while (*cm == ' ')
			cm++;
		size_t cl = strlen(cm);
		while (cl && cm[cl - 1] == ' ')
			cm[--cl] = '\0';
		*comment = *cm ? cm : NULL;
	} else {
		*comment = NULL;
	}
	*b64 = p;
	size_t n;
	unsigned char *blob = b64decode(p, strlen(p), &n);
	if (!blob)
		return ks_errf(err, KS_INVALID, "公钥的 BASE64 部分无法解码");
	size_t tl = strlen(*type);
	uint32_t fl = n >= 4 ? (uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 | (uint32_t)blob[2] << 8 | blob[3] : 0;
	bool same = n >= 4 && fl == tl && n - 4 > tl && !memcmp(blob + 4, *type, tl);
	free(blob);
	if (!same)
		return ks_errf(err, KS_INVALID, "公钥内容与它声明的类型 %s 不符", *type);
	return KS_OK;
}

/* s as one shell word inside command="…" of authorized_keys: bare if it is
 * made of harmless characters, else in single quotes. NULL if it holds a
 * character that can't be put there safely (quotes, backslash, controls). */
static char *shell_word(const char *s)
{
	bool bare = *s != '\0';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\'' || *p == '"' || *p == '\\')
			return NULL;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("/._+,:@%-", *p)))
			bare = false;
	}
	return bare ? ks_strdup(s) : ks_asprintf("'%s'", s);
}

static bool safe_login(const char *s)
{
	if (!*s || *s == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("._-", *s)))
			return false;
	return true;
}

static int keys_fail(ks_status st, const char *fmt, const char *a)
{
	char *m = ks_asprintf(fmt, a);
	int rc = cli_fail(st, m);
	free(m);
	return rc;
}

int cmd_keys(cli *c)
{
	if (c->argc != 2)
		return cli_fail(KS_INVALID, "用法：kesu keys LOGIN PUBKEY-FILE");
	const char *login = c->argv[0], *file = c->argv[1];
	session *s;
	int rc = cli_open(c, &s, false);
	if (rc)
		return rc;
	const conf_staff *p = conf_find_staff(s->cf, login);
	if (!p) {
		session_close(s);
		return keys_fail(KS_NOTFOUND, "%s 不是本系统登记的员工（见 staff.yaml）", login);
	}
	if (!p->active) {
		session_close(s);
		return keys_fail(KS_DENIED, "员工 %s 已停用，不能再为其生成登录密钥", login);
	}
	if (!safe_login(login)) {
		session_close(s);
		return keys_fail(KS_INVALID, "登录名 %s 含有不能放进 authorized_keys 的字符", login);
	}
	FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!f) {
		session_close(s);
		return keys_fail(KS_NOTFOUND, "无法读取公钥文件 %s", file);
	}
	char *text = ks_malloc(KEY_FILE_MAX + 2);
	size_t len = fread(text, 1, KEY_FILE_MAX + 1, f);
	bool bad_read = ferror(f);
	if (f != stdin)
		fclose(f);
	text[len] = '\0';
	bool too_big = len > KEY_FILE_MAX;
	/* one line: a single trailing newline (or CR LF) is allowed */
	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	if (len && text[len - 1] == '\r')
		text[--len] = '\0';
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0)
		exe[n] = '\0';
	char *dir = realpath(s->dir, NULL);
	char *qexe = n > 0 ? shell_word(exe) : NULL, *qdir = dir ? shell_word(dir) : NULL;
	const char *type = NULL, *b64 = NULL, *comment = NULL;
	ks_err err;
	if (bad_read)
		rc = keys_fail(KS_FAIL, "读取公钥文件 %s 出错", file);
	else if (too_big)
		rc = cli_fail(KS_INVALID, "公钥文件太大：应只有一行 TYPE BASE64 [注释]");
	else if (parse_key(text, len, &type, &b64, &comment, &err))
		rc = cli_fail(KS_INVALID, err.msg);
	else if (n <= 0 || !dir)
		rc = cli_fail(KS_FAIL, "无法确定 kesu 程序或数据目录的绝对路径");
	else if (!qexe || !qdir)
		rc = cli_fail(KS_FAIL, "kesu 程序或数据目录的路径含有引号、反斜杠或控制字符，不能放进 authorized_keys");
	else
		printf("restrict,pty,command=\"%s --data %s --as %s\" %s %s %s%s\n", qexe, qdir, login, type, b64,
		       comment ? "" : "kesu:", comment ? comment : login);
	free(qexe);
	free(qdir);
	free(dir);
	free(text);
	session_close(s);
	return rc;
}
