build-t/src/conf/tuiconf.o: src/conf/tuiconf.c include/kesu/tuiconf.h \
 include/kesu/conf.h include/kesu/err.h include/kesu/calendar.h \
 include/kesu/keymap.h include/kesu/yaml.h
include/kesu/tuiconf.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/keymap.h:
include/kesu/yaml.h:
