/* guide-screens.c — the screens of docs/guide.md, taken from the real
 * program so that they stay true.
 *
 *   guide-screens DATA_DIR < GUIDE.md > NEW.md
 *
 * Copies the guide to standard output. A block
 *
 *   <!-- kesu-screen as=LOGIN now="YYYY-MM-DD HH:MM" [size=LINESxCOLS]
 *   keys and :dump lines, as for tui_run_script (include/kesu/tui.h)
 *   -->
 *
 * is copied as it is, runs the terminal interface as LOGIN at that time on
 * DATA_DIR with those keys, and the fenced ```text block right after it (if
 * any) is replaced by what the :dump lines captured (trailing empty lines
 * dropped; several dumps are separated by one empty line). Blocks run in the
 * order of the guide, on the same data, so the day it tells unfolds: what the
 * front desk registers in one block, the department head finds in the next.
 *
 * Exit 0, or 1 with a message naming the guide's line when a block fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/tui.h"
#include "kesu/clock.h"

static char *attr(const char *line, const char *name)
{
	char *key = ks_asprintf(" %s=", name);
	const char *p = strstr(line, key);
	size_t klen = strlen(key);
	free(key);
	if (!p)
		return NULL;
	p += klen;
	const char *end;
	if (*p == '"') {
		end = strchr(++p, '"');
		if (!end)
			return NULL;
	} else {
		end = p + strcspn(p, " \t\n");
	}
	return ks_strndup(p, (size_t)(end - p));
}

/* Run one block's script; the dumps go to out as the text of a fenced block. */
static int run_block(const char *dir, const char *head, const char *script, size_t len, int lineno, FILE *out)
{
	char *as = attr(head, "as"), *now = attr(head, "now"), *size = attr(head, "size");
	int lines = 24, cols = 80, rc = 1;
	time_t t;
	if (!as || !now || !clock_parse(now, &t) || (size && sscanf(size, "%dx%d", &lines, &cols) != 2)) {
		fprintf(stderr, "guide:%d: a kesu-screen block needs as=LOGIN now=\"YYYY-MM-DD HH:MM\" [size=LxC]\n",
		        lineno);
		goto out;
	}
	clock_set_now(t);
	session *s = NULL;
	ks_err err = { "" };
	int changed;
	if (session_open(dir, &s, &err) || session_retime(s, false, &changed, &err) ||
	    session_login(s, as, &err)) {
		fprintf(stderr, "guide:%d: %s\n", lineno, err.msg);
		session_close(s);
		goto out;
	}
	FILE *keys = fmemopen((void *)script, len, "r");
	char *dump = NULL;
	size_t dlen = 0;
	FILE *d = open_memstream(&dump, &dlen);
	int x = tui_run_script(s, keys, d, lines, cols, NULL);
	fclose(keys);
	fclose(d);
	session_close(s);
	if (x != 0) {
		fprintf(stderr, "guide:%d: the script ended with status %d\n", lineno, x);
		free(dump);
		goto out;
	}
	/* one screen is `lines` lines; drop each screen's trailing empty lines */
	fputs("```text\n", out);
	char *p = dump;
	for (int screen = 0; p && *p; screen++) {
		char *start = p, *last = p;
		for (int i = 0; i < lines && *p; i++) {
			char *nl = strchr(p, '\n');
			char *next = nl ? nl + 1 : p + strlen(p);
			if (next - p > 1)
				last = next;
			p = next;
		}
		if (screen)
			fputc('\n', out);
		fwrite(start, 1, (size_t)(last - start), out);
	}
	fputs("```\n", out);
	free(dump);
	rc = 0;
out:
	free(as);
	free(now);
	free(size);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: guide-screens DATA_DIR < GUIDE.md > NEW.md\n");
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0;
	bool replace_next = false; /* a ```text block right after a screen block is replaced */
	while ((n = getline(&line, &cap, stdin)) > 0) {
		lineno++;
		if (replace_next) {
			if (!strcmp(line, "\n"))
				continue;
			replace_next = false;
			if (!strcmp(line, "```text\n")) {
				while ((n = getline(&line, &cap, stdin)) > 0 && strcmp(line, "```\n"))
					lineno++;
				lineno++;
				continue;
			}
		}
		fputs(line, stdout);
		if (strncmp(line, "<!-- kesu-screen", 16))
			continue;
		int at = lineno;
		char *head = ks_strdup(line);
		char *script = NULL;
		size_t slen = 0;
		FILE *sf = open_memstream(&script, &slen);
		while ((n = getline(&line, &cap, stdin)) > 0) {
			lineno++;
			fputs(line, stdout);
			if (!strncmp(line, "-->", 3))
				break;
			fputs(line, sf);
		}
		fclose(sf);
		int rc = run_block(argv[1], head, script, slen, at, stdout);
		free(head);
		free(script);
		if (rc) {
			free(line);
			return 1;
		}
		replace_next = true;
	}
	free(line);
	return 0;
}
