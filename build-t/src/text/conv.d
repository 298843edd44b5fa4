build-t/src/text/conv.o: src/text/conv.c include/kesu/text.h \
 include/kesu/err.h
include/kesu/text.h:
include/kesu/err.h:
