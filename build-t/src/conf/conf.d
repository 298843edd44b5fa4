build-t/src/conf/conf.o: src/conf/conf.c include/kesu/conf.h \
 include/kesu/err.h include/kesu/calendar.h include/kesu/yaml.h \
 include/kesu/calconf.h include/kesu/tuiconf.h include/kesu/rptconf.h
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/yaml.h:
include/kesu/calconf.h:
include/kesu/tuiconf.h:
include/kesu/rptconf.h:
