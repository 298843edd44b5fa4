build-t/src/cli/search.o: src/cli/search.c include/kesu/cli.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/case.h \
 include/kesu/form.h include/kesu/casesearch.h include/kesu/search.h \
 include/kesu/text.h
include/kesu/cli.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/case.h:
include/kesu/form.h:
include/kesu/casesearch.h:
include/kesu/search.h:
include/kesu/text.h:
