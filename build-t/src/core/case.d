build-t/src/core/case.o: src/core/case.c include/kesu/case.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/form.h \
 include/kesu/audit.h include/kesu/clock.h include/kesu/deadline.h \
 include/kesu/casesearch.h include/kesu/search.h include/kesu/copies.h \
 include/kesu/penalty.h include/kesu/penconf.h include/kesu/paper.h
include/kesu/case.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/form.h:
include/kesu/audit.h:
include/kesu/clock.h:
include/kesu/deadline.h:
include/kesu/casesearch.h:
include/kesu/search.h:
include/kesu/copies.h:
include/kesu/penalty.h:
include/kesu/penconf.h:
include/kesu/paper.h:
