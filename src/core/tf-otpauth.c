/* tf-otpauth.c — to be written. */
#include "tf-otpauth.h"
