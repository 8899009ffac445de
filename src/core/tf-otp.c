/* tf-otp.c — to be written. */
#include "tf-otp.h"
