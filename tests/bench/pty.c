/* pty.c — the terminal interface, as a person gets it: time from exec to the
 * first screen drawn, and the process's max RSS.
 *
 *   pty --runs R [--rows 40] [--cols 120] -- COMMAND ARG...
 *
 * Each run starts COMMAND (kesu --data D --as LOGIN, no subcommand: the TUI)
 * on a new pseudo-terminal of rows x cols with TERM=xterm-256color and
 * LANG=C.UTF-8, and reads what it writes. The first screen is drawn when the
 * output holds the title bar ("客诉") and the status line ("退出", the queue's
 * quit hint) and then nothing more arrives for 250 ms; the time is taken at
 * the last byte of that output, measured from just before fork(). Then it
 * types Q, waits for the exit and reads the max RSS from wait4(). Whatever
 * kesu prints before (terminal set-up strings) counts as part of the wait.
 * A run that has drawn nothing after --timeout seconds (120) is killed and
 * ends the measuring; its max RSS is still reported.
 * Prints "RESULT tui_first_screen_ms MEDIAN p90 P90 min MIN maxrss_kib K". */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "bench.h"

static int contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 5, rows = 40, cols = 120, i = 1;
	double budget = 150; /* seconds: fewer runs (at least 3) when each is slow */
	double timeout = 120; /* seconds for one run; a run that draws nothing by then ends the measuring */
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--rows") && i + 1 < argc)
			rows = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--cols") && i + 1 < argc)
			cols = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
			budget = atof(argv[++i]);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout = atof(argv[++i]);
	}
	if (i >= argc - 1 || runs < 1) {
		fprintf(stderr, "usage: pty --runs R [--rows N] [--cols N] -- COMMAND ARG...\n");
		return 2;
	}
	char **cmd = argv + i + 1;
	double *v = calloc((size_t)runs, sizeof *v);
	long maxrss = 0;
	int fails = 0, done_runs = 0;
	double start = now_s();
	for (int r = -1; r < runs; r++) { /* run -1 warms the page cache; not counted */
		if (r >= 3 && now_s() - start > budget)
			break;
		int m = posix_openpt(O_RDWR | O_NOCTTY);
		if (m < 0 || grantpt(m) || unlockpt(m)) {
			perror("pty");
			return 1;
		}
		struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
		char *sname = strdup(ptsname(m));
		double t0 = now_s();
		pid_t pid = fork();
		if (pid == 0) {
			setsid();
			int sfd = open(sname, O_RDWR);
			if (sfd < 0)
				_exit(126);
			ioctl(sfd, TIOCSCTTY, 0);
			ioctl(sfd, TIOCSWINSZ, &ws);
			dup2(sfd, 0);
			dup2(sfd, 1);
			dup2(sfd, 2);
			if (sfd > 2)
				close(sfd);
			close(m);
			setenv("TERM", "xterm-256color", 1);
			setenv("LANG", "C.UTF-8", 1);
			unsetenv("LC_ALL");
			execvp(cmd[0], cmd);
			_exit(127);
		}
		free(sname);
		size_t cap = 1 << 20, n = 0;
		char *buf = malloc(cap);
		double last = 0, seen = 0;
		int done = 0;
		while (!done) {
			struct pollfd p = { m, POLLIN, 0 };
			int pr = poll(&p, 1, 50);
			double t = now_s();
			if (pr > 0) {
				char tmp[65536];
				ssize_t k = read(m, tmp, sizeof tmp);
				if (k <= 0)
					break;
				if (n + (size_t)k > cap)
					buf = realloc(buf, cap = (n + (size_t)k) * 2);
				memcpy(buf + n, tmp, (size_t)k);
				n += (size_t)k;
				last = t;
				if (!seen && contains(buf, n, "客诉") && contains(buf, n, "退出"))
					seen = t;
			}
			if (seen && t - last >= 0.25)
				done = 1;
			if (t - t0 > timeout)
				break;
		}
		if (done) {
			if (write(m, "Q", 1) != 1)
				perror("write");
		} else {
			fails++;
			fprintf(stderr, "pty: no first screen within %.0f s (%zu bytes read)\n", timeout, n);
			kill(pid, SIGKILL);
		}
		/* drain until the child exits */
		struct rusage ru = {0};
		int status = 0;
		for (double t1 = now_s(); now_s() - t1 < 10;) {
			struct pollfd p = { m, POLLIN, 0 };
			if (poll(&p, 1, 50) > 0) {
				char tmp[65536];
				if (read(m, tmp, sizeof tmp) <= 0)
					break;
			}
			if (wait4(pid, &status, WNOHANG, &ru) == pid) {
				pid = 0;
				break;
			}
		}
		if (pid) {
			kill(pid, SIGKILL);
			wait4(pid, &status, 0, &ru);
		}
		if (r >= 0 && done) {
			done_runs++;
			v[r] = (last - t0) * 1e3;
			if (ru.ru_maxrss > maxrss)
				maxrss = ru.ru_maxrss;
		}
		close(m);
		free(buf);
		if (!done) {
			if (ru.ru_maxrss > maxrss)
				maxrss = ru.ru_maxrss;
			break; /* the next would time out as well */
		}
	}
	if (!done_runs) {
		printf("RESULT tui_first_screen_ms >%.0f p90 - min - maxrss_kib %ld fails %d runs 0  (no first screen within "
		       "%.0f s; max RSS when killed)\n",
		       timeout * 1e3, maxrss, fails, timeout);
		return 1;
	}
	runs = done_runs;
	double mn = v[0];
	for (int r = 1; r < runs; r++)
		if (v[r] < mn)
			mn = v[r];
	double p90 = percentile(v, (size_t)runs, 90);
	printf("RESULT tui_first_screen_ms %.1f p90 %.1f min %.1f maxrss_kib %ld fails %d runs %d\n",
	       median(v, (size_t)runs), p90, mn, maxrss, fails, runs);
	return fails ? 1 : 0;
}
