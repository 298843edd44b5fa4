/* main.c — parse the global options and run one command, or the terminal
 * interface when there is none. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "kesu/cli.h"
#include "kesu/store.h"
#include "kesu/text.h"
#include "kesu/tui.h"

#define KESU_VERSION "0.1.0"

typedef struct command {
	const char *name;
	int (*fn)(cli *c);
} command;

static const command commands[] = {
#define CLI_ROW(name, fn, syn, help) { #name, fn },
	CLI_COMMAND_LIST(CLI_ROW)
#undef CLI_ROW
};

/* Take a global option at argv[*i] if it is one; returns false if not. */
static int global_opt(cli *c, int argc, char **argv, int *i, bool before_cmd)
{
	const char *a = argv[*i];
	const char **slot = NULL;
	if (!strcmp(a, "-d") || !strcmp(a, "--data"))
		slot = &c->data;
	else if (!strcmp(a, "--as"))
		slot = &c->as;
	else if (!strcmp(a, "--now"))
		slot = &c->now;
	else if (!strncmp(a, "--data=", 7)) {
		c->data = a + 7;
		return 1;
	} else if (!strncmp(a, "--as=", 5)) {
		c->as = a + 5;
		return 1;
	} else if (!strncmp(a, "--now=", 6)) {
		c->now = a + 6;
		return 1;
	} else if (!strcmp(a, "--json")) {
		c->json = true;
		return 1;
	} else if (before_cmd && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
		cli_usage(stdout, NULL);
		exit(0);
	} else if (before_cmd && !strcmp(a, "--version")) {
		printf("kesu %s\n", KESU_VERSION);
		exit(0);
	} else {
		return 0;
	}
	if (*i + 1 >= argc) {
		fprintf(stderr, "kesu: 选项 %s 需要一个值\n", a);
		exit(KS_INVALID);
	}
	*slot = argv[++*i];
	return 1;
}

/* A refused command (status 3 or 4) goes to the attempts table of DIR/kesu.db
 * if that exists, outside the audit chain. Logging never changes the exit
 * status and prints nothing. */
static int note_attempt(const cli *c, int rc)
{
	static const char *const syn[] = {
#define CLI_SYN(name, fn, s, help) s,
		CLI_COMMAND_LIST(CLI_SYN)
#undef CLI_SYN
	};
	if (rc != KS_DENIED && rc != KS_CONFLICT)
		return rc;
	struct stat sb;
	char *db = ks_asprintf("%s/kesu.db", c->data);
	store *st = NULL;
	if (stat(db, &sb) == 0 && S_ISREG(sb.st_mode) && store_open(db, false, &st, NULL) == KS_OK) {
		char *cmd = ks_strdup(c->cmd ? c->cmd : "(终端界面)"), *case_no = NULL;
		for (int i = 0; i < c->argc; i++) {
			char *t = ks_asprintf("%s %s", cmd, c->argv[i]);
			free(cmd);
			cmd = t;
		}
		size_t n = c->cmd ? strlen(c->cmd) : 0;
		for (size_t k = 0; n && k < sizeof syn / sizeof *syn; k++)
			if (!strncmp(syn[k], c->cmd, n) && !strncmp(syn[k] + n, " CASE", 5) && c->argc > 0)
				case_no = text_visible(c->argv[0], false);
		struct passwd *pw = getpwuid(getuid());
		char *unix_user = pw ? ks_strdup(pw->pw_name) : ks_asprintf("uid %u", (unsigned)getuid());
		char *login = c->as ? text_visible(c->as, false) : ks_strdup(unix_user);
		char *vcmd = text_visible(cmd, false);
		store_attempt a = { .at = time(NULL), .login = login, .unix_user = unix_user, .command = vcmd,
		                    .case_no = case_no, .message = ks_status_label(rc), .status = rc };
		store_attempt_add(st, &a, NULL);
		store_close(st);
		free(cmd); free(vcmd); free(case_no); free(unix_user); free(login);
	}
	free(db);
	return rc;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* the database, its -wal and -shm files and new config files: owner only */
	umask(077);
	cli c = {0};
	c.data = getenv("KESU_DATA");
	if (!c.data || !*c.data)
		c.data = "./kesu-data";
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	if (!rest)
		return KS_FAIL;
	int nrest = 0;
	for (int i = 1; i < argc; i++) {
		if (global_opt(&c, argc, argv, &i, c.cmd == NULL))
			continue;
		if (!c.cmd && argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "kesu: 未知选项 %s（kesu --help 查看用法）\n", argv[i]);
			free(rest);
			return KS_INVALID;
		}
		if (!c.cmd)
			c.cmd = argv[i];
		else
			rest[nrest++] = argv[i];
	}
	c.argc = nrest;
	c.argv = rest;
	int rc;
	if (!c.cmd) {
		session *s;
		rc = cli_open(&c, &s, true);
		if (rc == 0) {
			rc = tui_run(s);
			session_close(s);
		}
		note_attempt(&c, rc);
		free(rest);
		return rc;
	}
	for (size_t k = 0; k < sizeof commands / sizeof *commands; k++) {
		if (strcmp(commands[k].name, c.cmd))
			continue;
		if (nrest > 0 && (!strcmp(rest[0], "--help") || !strcmp(rest[0], "-h"))) {
			cli_usage(stdout, c.cmd);
			free(rest);
			return 0;
		}
		rc = note_attempt(&c, commands[k].fn(&c));
		free(rest);
		return rc;
	}
	fprintf(stderr, "kesu: 未知命令 ");
	cli_put(stderr, c.cmd);
	fprintf(stderr, "（kesu --help 查看命令）\n");
	free(rest);
	return KS_INVALID;
}
