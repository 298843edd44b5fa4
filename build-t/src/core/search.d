build-t/src/core/search.o: src/core/search.c include/kesu/casesearch.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/search.h \
 include/kesu/case.h include/kesu/form.h include/kesu/text.h \
 include/kesu/tokenize.h
include/kesu/casesearch.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/search.h:
include/kesu/case.h:
include/kesu/form.h:
include/kesu/text.h:
include/kesu/tokenize.h:
