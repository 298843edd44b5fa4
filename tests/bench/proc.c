/* proc.c — whole-process timings: run a command R times (cycling through the
 * lines of a list file, '@' in an argument replaced by the current line),
 * each time from fork to exit, stdout and stderr to /dev/null, and print the
 * median, 90th percentile and minimum wall time and the largest max RSS.
 *
 *   proc --label NAME --runs R [--budget S] [--list FILE] -- COMMAND ARG...
 * With --budget, runs stop once S seconds have gone by (after at least one
 * counted run); --no-warmup counts the first run too.
 * Prints "RESULT NAME_ms MEDIAN p90 P90 min MIN maxrss_kib K fails F". */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

int main(int argc, char **argv)
{
	const char *label = "proc", *listfile = NULL;
	int runs = 10, i = 1;
	double budget = 0;
	int warmup = 1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--label") && i + 1 < argc)
			label = argv[++i];
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--list") && i + 1 < argc)
			listfile = argv[++i];
		else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
			budget = atof(argv[++i]);
		else if (!strcmp(argv[i], "--no-warmup"))
			warmup = 0;
	}
	if (i >= argc - 1 || runs < 1) {
		fprintf(stderr, "usage: proc --label NAME --runs R [--list FILE] -- COMMAND ARG...\n");
		return 2;
	}
	char **cmd = argv + i + 1;
	int ncmd = argc - i - 1;
	char *items[4096];
	int nitems = 0;
	if (listfile) {
		FILE *f = fopen(listfile, "r");
		char line[1024];
		while (f && nitems < 4096 && fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = '\0';
			if (*line)
				items[nitems++] = strdup(line);
		}
		if (f)
			fclose(f);
		if (!nitems) {
			fprintf(stderr, "proc: %s: empty\n", listfile);
			return 1;
		}
	}
	double *v = calloc((size_t)runs, sizeof *v);
	long maxrss = 0;
	int fails = 0;
	char **args = calloc((size_t)ncmd + 1, sizeof *args);
	double start = now_s();
	int done = 0;
	for (int r = warmup ? -1 : 0; r < runs; r++) { /* run -1: warm-up, not counted */
		if (budget > 0 && r >= 1 && now_s() - start > budget)
			break;
		const char *item = nitems ? items[(r + 1) % nitems] : "";
		for (int k = 0; k < ncmd; k++) {
			const char *at = strchr(cmd[k], '@');
			if (at && nitems) {
				size_t n = strlen(cmd[k]) + strlen(item);
				args[k] = malloc(n);
				snprintf(args[k], n, "%.*s%s%s", (int)(at - cmd[k]), cmd[k], item, at + 1);
			} else
				args[k] = strdup(cmd[k]);
		}
		double t0 = now_s();
		pid_t pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			execvp(args[0], args);
			_exit(127);
		}
		int status;
		struct rusage ru;
		wait4(pid, &status, 0, &ru);
		double t = (now_s() - t0) * 1e3;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fails++;
			if (fails == 1) {
				fprintf(stderr, "proc: %s failed (status %d):", label, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
				for (int k = 0; k < ncmd; k++)
					fprintf(stderr, " %s", args[k]);
				fprintf(stderr, "\n");
			}
		}
		if (r >= 0) {
			done++;
			v[r] = t;
			if (ru.ru_maxrss > maxrss)
				maxrss = ru.ru_maxrss;
		}
		for (int k = 0; k < ncmd; k++)
			free(args[k]);
	}
	runs = done;
	double mn = v[0];
	for (int r = 1; r < runs; r++)
		if (v[r] < mn)
			mn = v[r];
	double p90 = percentile(v, (size_t)runs, 90);
	double med = median(v, (size_t)runs);
	printf("RESULT %s_ms %.2f p90 %.2f min %.2f maxrss_kib %ld fails %d runs %d\n", label, med, p90, mn, maxrss,
	       fails, runs);
	return fails ? 1 : 0;
}
