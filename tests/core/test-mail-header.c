/* test-mail-header.c — the pure header functions: what is refused before
 * libcurl, and RFC 2047 words that decode back to the text exactly (checked
 * by our own decoder and by Python's email package). */
#include "tf-core.h"
#include "tf-mail-header.h"

#include <gio/gio.h>
#include <string.h>

/* Values that must never reach a header: each is put inside an otherwise
 * good value. */
static const struct {
  const char *name;
  const char *bytes;
  gsize       length;
} injections[] = {
  { "CR", "\r", 1 },
  { "LF", "\n", 1 },
  { "CRLF", "\r\n", 2 },
  { "CRLF header", "\r\nBcc: victim@example.org", 25 },
  { "NUL", "\0", 1 },
  { "less-than", "<", 1 },
  { "greater-than", ">", 1 },
  { "tab", "\t", 1 },
  { "DEL", "\x7f", 1 },
  { "NEL (C1)", "\xc2\x85", 2 },
  { "RLO", "\xe2\x80\xae", 3 },
  { "LRI", "\xe2\x81\xa6", 3 },
  { "RLM", "\xe2\x80\x8f", 3 },
  { "ALM", "\xd8\x9c", 2 },
  { "line separator", "\xe2\x80\xa8", 3 },
  { "byte-order mark", "\xef\xbb\xbf", 3 },
  { "invalid UTF-8", "\xff", 1 },
  { "overlong NUL", "\xc0\x80", 2 },
};

static char *
with_injection (const char *before,
                guint       i,
                const char *after,
                gsize      *length)
{
  gsize a = strlen (before), b = injections[i].length, c = strlen (after);
  char *value = g_malloc (a + b + c + 1);

  memcpy (value, before, a);
  memcpy (value + a, injections[i].bytes, b);
  memcpy (value + a + b, after, c + 1);
  *length = a + b + c;
  return value;
}

static void
test_text_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (injections); i++)
    {
      gsize length;
      g_autofree char *value = with_injection ("Your reset code", i, " here", &length);
      g_autoptr(GError) error = NULL;

      g_test_message ("text with %s", injections[i].name);
      g_assert_false (tf_mail_header_check_text (value, (gssize) length, &error));
      g_assert_error (error, TF_MAIL_HEADER_ERROR, TF_MAIL_HEADER_ERROR_INVALID_TEXT);
    }
}

static void
test_text_accepted (void)
{
  const char *good[] = { "", "Twofold", "Zoë Ångström", "李小龍", "O'Brien & Co.",
                         "emoji 🔑 key", "ZWJ 👩‍💻 and ZWNJ می‌خواهم", "=?not really?=" };
  char *long_text = g_strnfill (TF_MAIL_HEADER_MAX_TEXT + 1, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (tf_mail_header_check_text (good[i], -1, NULL));

  g_assert_false (tf_mail_header_check_text (long_text, -1, NULL));
  long_text[TF_MAIL_HEADER_MAX_TEXT] = '\0';
  g_assert_true (tf_mail_header_check_text (long_text, -1, NULL));
  g_free (long_text);
}

static void
test_address (void)
{
  const char *good[] = { "a@b.example", "first.last+tag@example.org", "x_y-z@mail.example.co.uk",
                         "ünïcode@exämple.org" };
  const char *bad[] = { "", "alice", "@example.org", "alice@", "a@@example.org",
                        "a@b@example.org", "a b@example.org", "a@exa mple.org", ".a@example.org",
                        "a.@example.org", "a..b@example.org", "a@example..org", "a@.example.org",
                        "a@example.org.", "\"a\"@example.org", "a(b)@example.org",
                        "a,b@example.org", "a;b@example.org", "a:b@example.org",
                        "a\\b@example.org", "a[b]@example.org",
                        "alice@example.org>\r\nRCPT TO:<victim@example.org" };
  g_autofree char *a65 = g_strnfill (65, 'a');
  g_autofree char *b250 = g_strnfill (250, 'b');
  g_autofree char *long_local = g_strdup_printf ("%s@example.org", a65);
  g_autofree char *long_all = g_strdup_printf ("a@%s.org", b250);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (tf_mail_header_check_address (good[i], -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("address “%s”", bad[i]);
      g_assert_false (tf_mail_header_check_address (bad[i], -1, &error));
      g_assert_error (error, TF_MAIL_HEADER_ERROR, TF_MAIL_HEADER_ERROR_INVALID_ADDRESS);
    }
  for (guint i = 0; i < G_N_ELEMENTS (injections); i++)
    {
      gsize local_length, domain_length;
      g_autofree char *local = with_injection ("ali", i, "ce@example.org", &local_length);
      g_autofree char *domain = with_injection ("alice@exam", i, "ple.org", &domain_length);

      g_test_message ("address with %s", injections[i].name);
      g_assert_false (tf_mail_header_check_address (local, (gssize) local_length, NULL));
      g_assert_false (tf_mail_header_check_address (domain, (gssize) domain_length, NULL));
    }
  g_assert_false (tf_mail_header_check_address (long_local, -1, NULL));
  g_assert_false (tf_mail_header_check_address (long_all, -1, NULL));
}

static void
test_parse_mailbox (void)
{
  const struct {
    const char *input;
    const char *name;
    const char *address;
  } good[] = {
    { "Twofold <twofold@example.org>", "Twofold", "twofold@example.org" },
    { "  <twofold@example.org>  ", NULL, "twofold@example.org" },
    { "twofold@example.org", NULL, "twofold@example.org" },
    { "\"Twofold, Inc.\" <a@example.org>", "Twofold, Inc.", "a@example.org" },
    { "\"Say \\\"hi\\\"\" <a@example.org>", "Say \"hi\"", "a@example.org" },
    { "Zoë Ångström <zoe@example.org>", "Zoë Ångström", "zoe@example.org" },
  };
  const char *bad[] = { "", "Twofold <>", "Twofold <twofold@example.org", "twofold@example.org>",
                        "Evil\r\nBcc: x@example.org <a@example.org>",
                        "Name <a@example.org> extra", "Name <a@exa\nmple.org>",
                        "Name <a@example.org>\r\n", "\"a<b\" <a@example.org>",
                        "Name\xe2\x80\xae <a@example.org>" };
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (tf_mail_header_parse_mailbox (good[i].input, -1, &name, &address, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (name, ==, good[i].name);
      g_assert_cmpstr (address, ==, good[i].address);
      g_clear_pointer (&name, g_free);
      g_clear_pointer (&address, g_free);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("mailbox “%s”", bad[i]);
      g_assert_false (tf_mail_header_parse_mailbox (bad[i], -1, &name, &address, &error));
      g_assert_nonnull (error);
      g_assert_null (name);
      g_assert_null (address);
    }
  /* A NUL hides nothing behind it. */
  g_assert_false (tf_mail_header_parse_mailbox ("a@example.org\0<b@example.org>", 29,
                                                &name, &address, NULL));
}

/* Our own RFC 2047 decoder for what tf_mail_header_encode () makes: either
 * folded plain text, or B words of UTF-8 separated by CRLF SP. Checks the
 * line and word limits on the way. */
static char *
decode (const char *value,
        gsize       prefix_length)
{
  g_auto(GStrv) lines = g_strsplit (value, "\r\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean encoded = g_str_has_prefix (value, "=?UTF-8?B?");

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      g_assert_cmpuint ((i == 0 ? prefix_length : 0) + strlen (line), <=, TF_MAIL_HEADER_MAX_LINE);
      for (const char *p = line; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p < 0x7f);
      if (i > 0)
        g_assert_true (line[0] == ' ');

      if (!encoded)
        {
          g_string_append (out, line);
          continue;
        }

      if (i > 0)
        line++;
      g_assert_true (g_str_has_prefix (line, "=?UTF-8?B?") && g_str_has_suffix (line, "?="));
      g_assert_cmpuint (strlen (line), <=, TF_MAIL_HEADER_MAX_WORD);
      {
        g_autofree char *b64 = g_strndup (line + 10, strlen (line) - 12);
        gsize length;
        g_autofree guchar *bytes = g_base64_decode (b64, &length);

        /* Every word holds whole characters. */
        g_assert_true (g_utf8_validate ((const char *) bytes, (gssize) length, NULL));
        g_string_append_len (out, (const char *) bytes, (gssize) length);
      }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_encode_round_trip (void)
{
  const char *pieces[] = { "a", "é", "李", "🔑", " ", "word ", "=?", "Ω" };

  /* Every length from 0 to 200 characters, in several scripts. */
  for (guint p = 0; p < G_N_ELEMENTS (pieces); p++)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint n = 0; n < 200; n++)
        {
          g_autofree char *encoded = NULL;
          g_autofree char *decoded = NULL;

          encoded = tf_mail_header_encode (text->str, strlen ("Subject: "));
          g_assert_nonnull (encoded);
          decoded = decode (encoded, strlen ("Subject: "));
          g_assert_cmpstr (decoded, ==, text->str);
          g_string_append (text, pieces[(p + n) % G_N_ELEMENTS (pieces)]);
          if (text->len > TF_MAIL_HEADER_MAX_TEXT - 8)
            break;
        }
    }

  /* Random text, random prefix. */
  for (guint round = 0; round < 500; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint prefix = (guint) g_test_rand_int_range (0, 41);
      g_autofree char *encoded = NULL;
      g_autofree char *decoded = NULL;
      guint n = (guint) g_test_rand_int_range (0, 120);

      for (guint i = 0; i < n; i++)
        {
          gunichar c = (gunichar) g_test_rand_int_range (0x20, 0x1ffff);

          if (c == '<' || c == '>' || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff) ||
              (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
              c == 0x200e || c == 0x200f || c == 0x061c || c == 0xfeff)
            continue;
          g_string_append_unichar (text, c);
        }
      if (text->len > TF_MAIL_HEADER_MAX_TEXT)
        continue;
      encoded = tf_mail_header_encode (text->str, prefix);
      g_assert_nonnull (encoded);
      decoded = decode (encoded, prefix);
      g_assert_cmpstr (decoded, ==, text->str);
    }
}

static void
test_encode_forms (void)
{
  g_autofree char *plain = tf_mail_header_encode ("Your Twofold password reset code", 9);
  g_autofree char *utf8 = tf_mail_header_encode ("Zoë", 9);
  g_autofree char *lookalike = tf_mail_header_encode ("=?UTF-8?B?aGk=?=", 9);
  g_autofree char *folded = tf_mail_header_encode ("A rather long subject line that goes on and on "
                                                   "and on until it needs to be folded", 9);

  g_assert_cmpstr (plain, ==, "Your Twofold password reset code");
  g_assert_cmpstr (utf8, ==, "=?UTF-8?B?Wm/Dqw==?=");
  g_assert_true (g_str_has_prefix (lookalike, "=?UTF-8?B?PT9"));
  g_assert_nonnull (strstr (folded, "\r\n "));
  g_assert_null (tf_mail_header_encode ("a\r\nBcc: x@example.org", 9));
}

/* Python's email package, an independent RFC 2047 decoder, agrees. */
static void
test_python_decodes (void)
{
  const char *texts[] = { "Plain ASCII", "Zoë Ångström", "Ваш код для сброса пароля Twofold",
                          "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑",
                          "混合 mixed テキスト with spaces and 한국어 characters going on long",
                          "=?UTF-8?B?aGk=?= not a word" };
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GSubprocess) python = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *script =
    "import sys, email.header\n"
    "for line in sys.stdin.read().split('\\n\\n'):\n"
    "    if line:\n"
    "        print(str(email.header.make_header(email.header.decode_header("
    "line.replace('\\n', '\\r\\n')))))\n";

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *encoded = tf_mail_header_encode (texts[i], 9);
      g_auto(GStrv) lines = NULL;
      g_autofree char *lf = NULL;

      g_assert_nonnull (encoded);
      lines = g_strsplit (encoded, "\r\n", -1);
      lf = g_strjoinv ("\n", lines);
      g_string_append_printf (input, "%s\n\n", lf);
      g_string_append_printf (expected, "%s\n", texts[i]);
    }

  python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, TF_PYTHON, "-c", script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (python, input->str, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected->str);
}

static void
test_format_mailbox (void)
{
  g_autofree char *plain = tf_mail_header_format_mailbox ("Twofold", "a@example.org", 6);
  g_autofree char *quoted = tf_mail_header_format_mailbox ("Twofold, Inc.", "a@example.org", 6);
  g_autofree char *escaped = tf_mail_header_format_mailbox ("Say \"hi\"", "a@example.org", 6);
  g_autofree char *encoded = tf_mail_header_format_mailbox ("Zoë", "zoe@example.org", 4);
  g_autofree char *bare = tf_mail_header_format_mailbox (NULL, "a@example.org", 4);
  g_autofree char *long_name = tf_mail_header_format_mailbox (
    "Ångström Ångström Ångström Ångström Ångström Ångström", "someone.with.a.long.address@example.org", 4);

  g_assert_cmpstr (plain, ==, "Twofold <a@example.org>");
  g_assert_cmpstr (quoted, ==, "\"Twofold, Inc.\" <a@example.org>");
  g_assert_cmpstr (escaped, ==, "\"Say \\\"hi\\\"\" <a@example.org>");
  g_assert_cmpstr (encoded, ==, "=?UTF-8?B?Wm/Dqw==?= <zoe@example.org>");
  g_assert_cmpstr (bare, ==, "a@example.org");
  g_assert_true (g_str_has_suffix (long_name, "\r\n <someone.with.a.long.address@example.org>"));
  {
    g_auto(GStrv) lines = g_strsplit (long_name, "\r\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_assert_cmpuint ((i == 0 ? 4 : 0) + strlen (lines[i]), <=, TF_MAIL_HEADER_MAX_LINE);
  }

  for (guint i = 0; i < G_N_ELEMENTS (injections); i++)
    {
      gsize length;
      g_autofree char *name = with_injection ("Ali", i, "ce", &length);
      g_autofree char *address = with_injection ("alice@", i, "example.org", &length);

      if (injections[i].bytes[0] == '\0')
        continue;  /* A C string cannot carry it; the length-checked calls test it. */
      g_assert_null (tf_mail_header_format_mailbox (name, "a@example.org", 6));
      g_assert_null (tf_mail_header_format_mailbox ("Alice", address, 6));
    }
}

static void
test_message_id (void)
{
  const guint8 random[4] = { 0x01, 0xab, 0xff, 0x00 };
  g_autofree char *id = tf_mail_header_message_id (random, sizeof random, "example.org");
  g_autofree char *bad = tf_mail_header_message_id (random, sizeof random, "exa>mple\r\n.org");
  g_autofree char *none = tf_mail_header_message_id (random, sizeof random, NULL);

  g_assert_cmpstr (id, ==, "<01abff00@example.org>");
  g_assert_cmpstr (bad, ==, "<01abff00@twofold.invalid>");
  g_assert_cmpstr (none, ==, "<01abff00@twofold.invalid>");
}

static void
test_date (void)
{
  g_autofree char *epoch = tf_mail_header_date (0);
  g_autofree char *later = tf_mail_header_date (1900000000);
  g_autofree char *leap = tf_mail_header_date (951782400);
  g_autofree char *absurd = tf_mail_header_date (G_MAXINT64);

  g_assert_cmpstr (epoch, ==, "Thu, 01 Jan 1970 00:00:00 +0000");
  g_assert_cmpstr (later, ==, "Sun, 17 Mar 2030 17:46:40 +0000");
  g_assert_cmpstr (leap, ==, "Tue, 29 Feb 2000 00:00:00 +0000");
  g_assert_cmpstr (absurd, ==, "Thu, 01 Jan 1970 00:00:00 +0000");
}

int
main (int   argc,
      char *argv[])
{
  tf_core_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/twofold/mail-header/text-refused", test_text_refused);
  g_test_add_func ("/twofold/mail-header/text-accepted", test_text_accepted);
  g_test_add_func ("/twofold/mail-header/address", test_address);
  g_test_add_func ("/twofold/mail-header/parse-mailbox", test_parse_mailbox);
  g_test_add_func ("/twofold/mail-header/encode-round-trip", test_encode_round_trip);
  g_test_add_func ("/twofold/mail-header/encode-forms", test_encode_forms);
  g_test_add_func ("/twofold/mail-header/python-decodes", test_python_decodes);
  g_test_add_func ("/twofold/mail-header/format-mailbox", test_format_mailbox);
  g_test_add_func ("/twofold/mail-header/message-id", test_message_id);
  g_test_add_func ("/twofold/mail-header/date", test_date);

  return g_test_run ();
}
