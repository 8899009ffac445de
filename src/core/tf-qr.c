/* tf-qr.c — to be written. */
#include "tf-qr.h"
