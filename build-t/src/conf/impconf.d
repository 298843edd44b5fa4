build-t/src/conf/impconf.o: src/conf/impconf.c include/kesu/import.h \
 include/kesu/conf.h include/kesu/err.h include/kesu/calendar.h \
 include/kesu/session.h include/kesu/store.h include/kesu/yaml.h
include/kesu/import.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/session.h:
include/kesu/store.h:
include/kesu/yaml.h:
