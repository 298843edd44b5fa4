/* floor_sql.c — the floor of a whole kesu process: a process that opens the
 * database and runs exactly the statements a kesu command ran (recorded by
 * measure into a log, replay.h), with the same bound values, reading every
 * row, and nothing else. It links SQLite only (the bench is linked with
 * --as-needed), so its exec cost is that of a minimal SQLite program.
 *
 *   floor_sql DBFILE LOGFILE */
#include "replay.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: floor_sql DBFILE LOGFILE\n");
		return 2;
	}
	slog l = {0};
	if (!slog_load(&l, argv[2])) {
		perror(argv[2]);
		return 1;
	}
	sqlite3 *db = bench_open_raw(argv[1], SQLITE_OPEN_READWRITE);
	long rows = replay_run(db, &l, 0);
	sqlite3_close(db);
	printf("%d statements, %ld rows\n", l.n, rows);
	slog_free(&l);
	return 0;
}
