build-t/src/core/clock.o: src/core/clock.c include/kesu/clock.h \
 include/kesu/err.h
include/kesu/clock.h:
include/kesu/err.h:
