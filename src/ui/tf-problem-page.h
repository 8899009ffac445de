/* tf-problem-page.h
 *
 * What the window shows when the accounts cannot be used: the keyring is
 * unavailable or locked, the secrets do not open with the key found, the
 * store is damaged, or it was written by a newer Twofold. Each says in plain
 * words what happened and what to do, and that nothing was changed. Retry
 * (the win.retry action) is offered where trying again can help.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  TF_PROBLEM_KEYRING,
  TF_PROBLEM_UNREADABLE,
  TF_PROBLEM_DAMAGED,
  TF_PROBLEM_NEWER,
  TF_PROBLEM_OTHER,
} TfProblemKind;

#define TF_TYPE_PROBLEM_KIND (tf_problem_kind_get_type ())
GType tf_problem_kind_get_type (void);

#define TF_TYPE_PROBLEM_PAGE (tf_problem_page_get_type ())

G_DECLARE_FINAL_TYPE (TfProblemPage, tf_problem_page, TF, PROBLEM_PAGE, AdwBin)

/* TRUE for errors that end what the window was doing and belong on this
 * page (vault errors, a damaged or newer store) rather than in a form. */
gboolean       tf_problem_page_handles         (const GError  *error);

void           tf_problem_page_set_error       (TfProblemPage *self,
                                                const GError  *error,
                                                const char    *store_path);
TfProblemKind  tf_problem_page_get_kind        (TfProblemPage *self);
const char    *tf_problem_page_get_title       (TfProblemPage *self);
const char    *tf_problem_page_get_description (TfProblemPage *self);
gboolean       tf_problem_page_get_can_retry   (TfProblemPage *self);

G_END_DECLS
