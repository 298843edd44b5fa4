build-t/src/core/import.o: src/core/import.c include/kesu/import.h \
 include/kesu/conf.h include/kesu/err.h include/kesu/calendar.h \
 include/kesu/session.h include/kesu/store.h include/kesu/audit.h \
 include/kesu/case.h include/kesu/form.h include/kesu/casesearch.h \
 include/kesu/search.h include/kesu/clock.h include/kesu/deadline.h \
 include/kesu/text.h
include/kesu/import.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/session.h:
include/kesu/store.h:
include/kesu/audit.h:
include/kesu/case.h:
include/kesu/form.h:
include/kesu/casesearch.h:
include/kesu/search.h:
include/kesu/clock.h:
include/kesu/deadline.h:
include/kesu/text.h:
