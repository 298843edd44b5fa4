build-t/src/text/width.o: src/text/width.c include/kesu/text.h \
 include/kesu/err.h
include/kesu/text.h:
include/kesu/err.h:
