build-t/src/text/utf8.o: src/text/utf8.c include/kesu/text.h \
 include/kesu/err.h
include/kesu/text.h:
include/kesu/err.h:
