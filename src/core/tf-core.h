/* tf-core.h
 *
 * Contract: call tf_core_init() once at the start of every program or test
 * that uses libtwofold-core, before any other tf_ call. It initialises
 * libsodium (aborting if the system has no usable randomness, since nothing
 * secure can be done without it) and binds the gettext domain.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void tf_core_init (void);

G_END_DECLS
