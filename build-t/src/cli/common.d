build-t/src/cli/common.o: src/cli/common.c include/kesu/cli.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/clock.h \
 include/kesu/text.h
include/kesu/cli.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/clock.h:
include/kesu/text.h:
