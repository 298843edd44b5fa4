build-t/src/cli/show.o: src/cli/show.c include/kesu/cli.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/case.h \
 include/kesu/form.h include/kesu/clock.h include/kesu/deadline.h \
 include/kesu/text.h include/kesu/paper.h
include/kesu/cli.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/case.h:
include/kesu/form.h:
include/kesu/clock.h:
include/kesu/deadline.h:
include/kesu/text.h:
include/kesu/paper.h:
