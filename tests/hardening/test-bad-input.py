#!/usr/bin/python3
"""Hostile input at every entry point: twofold-admin's commands, options,
arguments and standard input, the service calls behind the GUI's forms (via
auth-driver), and settings values.

    test-bad-input.py TWOFOLD_ADMIN AUTH_DRIVER      (prints TAP)

Every refusal must be one line on stderr ("twofold-admin: …"), exit 2 for
bad input, 1 for an authentication refusal, 3 for the environment; nothing
may crash (exit ≥ 128 or a signal), GLib may print no CRITICAL or WARNING,
and nothing refused may be stored: the accounts and the audit log are
compared before and after, where only audited refusals may appear.

Decisions this test pins down:
- Full-width digits in a code are the same code (NFKC), for confirm, verify
  and the service's login.
- A username mixing scripts ("аlice" with a Cyrillic а) is refused.
- A username wholly in another script that merely looks like an existing
  Latin one ("асе", all Cyrillic, beside "ace") is a different, valid
  account: the two can never log in as each other, and refusing it needs
  Unicode's confusables table, which GLib does not have. SECURITY.md says so.
- A password is opaque: any valid UTF-8 without NUL is allowed, bidi
  controls included.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ADMIN = sys.argv[1]
DRIVER = sys.argv[2]
TMP = tempfile.mkdtemp(prefix="twofold-bad-input-")
STORE = os.path.join(TMP, "store", "twofold.db")
KEY = os.path.join(TMP, "key")
PASSWORD = "correct horse battery staple"
KB100 = "a" * 100_000          # Linux caps one argument at 128 KiB.
MIB = b"a" * (1 << 20)
results = []

# GLib's own complaints that are not ours to fix, each with its reason.
KNOWN_GLIB_MESSAGES = {
    "settings: store-path not UTF-8":
        # gkeyfilesettingsbackend.c parses the value with g_variant_parse (),
        # which calls g_variant_new_string () on the raw bytes and trips its
        # own UTF-8 assertion; GSettings then returns the default. dconf, the
        # real backend, cannot hold such a string at all.
        r"GLib-CRITICAL \*\*: [0-9:.]+: g_variant_new_string: assertion "
        r"'g_utf8_validate \(string, -1, NULL\)' failed",
}

# Strings every text field must refuse, as argv bytes.
STRANGE = {
    "empty": b"",
    "100 kB": KB100.encode(),
    "invalid UTF-8": b"al\xffice",
    "CR/LF": b"ali\r\nce",
    "LF": b"ali\nce",
    "tab": b"ali\tce",
    "bidi override U+202E": "ali\u202ece".encode(),
    "zero-width joiner": "ali\u200dce".encode(),
    "escape sequence": b"\x1b[31malice",
    "angle brackets": b"<alice>",
}


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def env_for(extra=None):
    env = dict(os.environ)
    env.update(extra or {})
    return env


def admin(args, stdin=b"", env=None, store=STORE, key=KEY):
    cmd = [ADMIN]
    if store is not None:
        cmd += ["--store", store]
    if key is not None:
        cmd += ["--key-file", key]
    cmd += [a.encode() if isinstance(a, str) else a for a in args]
    p = subprocess.run(cmd, input=stdin if isinstance(stdin, bytes) else stdin.encode(),
                       capture_output=True, env=env_for(env), timeout=120)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def glib_noise(err, known=None):
    lines = []
    for line in err.splitlines():
        if known and re.search(known, line):
            continue
        if re.search(r"\b(CRITICAL|WARNING)\b", line):
            lines.append(line)
    return lines


def expect(name, outcome, codes, known=None, one_line=True):
    """outcome = (rc, out, err) of twofold-admin."""
    rc, out, err = outcome
    problems = []
    if rc < 0 or rc >= 128:
        problems.append("crashed: exit %d" % rc)
    elif rc not in codes:
        problems.append("exit %d, wanted %s" % (rc, "/".join(map(str, sorted(codes)))))
    noise = glib_noise(err, known)
    if noise:
        problems.append("GLib complained: " + " | ".join(noise))
    if rc != 0 and one_line:
        lines = [l for l in err.splitlines() if l.strip() and not (known and re.search(known, l))]
        if len(lines) != 1 or not lines[0].startswith("twofold-admin: "):
            problems.append("not one line: %r" % err[:600])
    check(name, not problems, "; ".join(problems) + ("\nstderr: " + err[:600] if problems else ""))
    return rc, out, err


def driver(op, *fields, env=None, unlock=None):
    """One service call, on a seat of its own: the failures of earlier cases
    must not throttle it (on a slow machine they would, and the wanted error
    code would become "too many attempts"). unlock: clear that account's
    throttling first, for a case that wants a specific refusal."""
    global driver_calls
    driver_calls += 1
    if unlock is not None:
        rc, out, err = admin(["unlock", unlock])
        if rc != 0:
            return 3, "", "could not unlock %s first: %s" % (unlock, err)
    data = b""
    for f in fields:
        f = f.encode() if isinstance(f, str) else f
        data += b"%d\n" % len(f) + f
    p = subprocess.run([DRIVER, "--store", STORE, "--key-file", KEY,
                        "--seat", "driver-seat-%d" % driver_calls, op], input=data,
                       capture_output=True, env=env_for(env), timeout=120)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def expect_driver(name, outcome, codes, field_code=None):
    rc, out, err = outcome
    problems = []
    if rc < 0 or rc >= 128:
        problems.append("crashed: exit %d" % rc)
    elif rc not in codes:
        problems.append("exit %d, wanted %s: %s" % (rc, codes, out.strip()[:300]))
    if glib_noise(err):
        problems.append("GLib complained: " + " | ".join(glib_noise(err)))
    if len(out.splitlines()) != 1:
        problems.append("not one line: %r" % out[:300])
    if field_code is not None and rc != 0 and not out.startswith(
            "error tf-auth-error-quark %d " % field_code):
        problems.append("wrong error: %s" % out.strip()[:300])
    check(name, not problems, "; ".join(problems))


def oathtool(secret, at):
    return subprocess.run(["oathtool", "--totp", "-b", "-N", "@%d" % int(at), secret],
                          capture_output=True, check=True, text=True).stdout.strip()


def full_width(text):
    return "".join(chr(ord(c) - ord("0") + 0xFF10) if c.isdigit() else c for c in text)


def users():
    rc, out, err = admin(["list", "--json"])
    lines = [l for l in out.splitlines() if l.startswith("[")]
    return {u["username"]: u["state"] for u in json.loads(lines[0])} if rc == 0 and lines else None


def audit():
    rc, out, err = admin(["audit", "--json"])
    lines = [l for l in out.splitlines() if l.startswith("[")]
    return json.loads(lines[0]) if rc == 0 and lines else []


def add(username, email="x@example.org", password=PASSWORD):
    rc, out, err = admin(["add", username, "--email", email, "--first-name", "F",
                          "--last-name", "L"], password + "\n")
    m = re.search(r"secret=([A-Z2-7]+)", out)
    return m.group(1) if rc == 0 and m else None


# Code (TF_AUTH_ERROR_*) of each field error, as tf-auth.h numbers them.
E_USERNAME, E_FIRST, E_LAST, E_EMAIL, E_PASSWORD, E_MISMATCH = 0, 1, 2, 3, 4, 5
E_FAILED, E_WRONG_CODE = 7, 10
driver_calls = 0


def main():
    rc, out, err = admin(["init"])
    if rc != 0:
        print("Bail out! init failed: " + err)
        return
    now = time.time()
    # ace: active. pend: pending. fwuser: for the full-width positives.
    ace = add("ace")
    admin(["confirm", "ace"], oathtool(ace, now) + "\n")
    add("pend")
    fw = add("fwuser")
    intended = {"ace", "pend", "fwuser"}
    before_users = users()
    before_audit = len(audit())

    # Full-width digits are the same code.
    rc, out, err = expect("confirm: a code in full-width digits is accepted",
                          admin(["confirm", "fwuser"], full_width(oathtool(fw, now)) + "\n"), {0})
    expect("verify: a code in full-width digits is accepted",
           admin(["verify", "fwuser"], "%s\n%s\n" % (PASSWORD, full_width(oathtool(fw, now + 30))),
                 env={"TWOFOLD_SEAT": "fw-seat"}), {0})
    expect_driver("service login: a code in full-width digits is accepted",
                  driver("login", "fwuser", PASSWORD, full_width(oathtool(fw, now + 60))), {0})
    before_users["fwuser"] = "active"

    # Global options.
    expect("unknown global option", admin(["--frobnicate", "list"]), {2})
    expect("no command", admin([]), {2})
    expect("unknown command", admin(["frobnicate"]), {2})
    expect("unknown command, 100 kB", admin([KB100]), {2})
    expect("unknown command with CR/LF", admin(["li\r\nst"]), {2})
    expect("--store ''", admin(["init"], store=""), {2, 3})
    expect("--key-file ''", admin(["list"], key=""), {2, 3})
    expect("--store of 100 kB", admin(["list"], store="/tmp/" + KB100), {2, 3})
    expect("--key-file of 100 kB", admin(["list"], key="/tmp/" + KB100), {2, 3})
    expect("--store with LF, missing", admin(["list"], store=os.path.join(TMP, "a\nb", "db")),
           {3})
    expect("--store with CR, missing", admin(["list"], store=os.path.join(TMP, "a\rb", "db")),
           {3})
    expect("--store is a directory", admin(["list"], store=TMP), {3})
    expect("--store is /dev/null", admin(["list"], store="/dev/null"), {3})
    fifo = os.path.join(TMP, "fifo")
    os.mkfifo(fifo)
    expect("--store is a FIFO (and does not hang)", admin(["list"], store=fifo), {3})
    link = os.path.join(TMP, "store-link")
    os.symlink(STORE, link)
    expect("--store is a symlink", admin(["list"], store=link), {3})
    nonutf8 = os.fsencode(TMP) + b"/\xff\xfe/db"
    expect("--store not UTF-8: init works", admin(["init"], store=nonutf8,
                                                  key=os.path.join(TMP, "key-nonutf8")), {0})
    expect("--key-file is a FIFO (and does not hang)", admin(["list"], key=fifo), {3})
    expect("--key-file is /dev/null", admin(["list"], key="/dev/null"), {3})
    expect("--key-file is a directory", admin(["list"], key=TMP), {3})
    klink = os.path.join(TMP, "key-link")
    os.symlink(KEY, klink)
    expect("--key-file is a symlink", admin(["list"], key=klink), {3})
    loose = os.path.join(TMP, "key-loose")
    shutil.copy(KEY, loose)
    os.chmod(loose, 0o644)
    expect("--key-file is 0644", admin(["list"], key=loose), {3})
    foreign = os.path.join(TMP, "key-foreign")
    shutil.copy(KEY, foreign)
    os.chmod(foreign, 0o600)
    os.chown(foreign, 65534, 65534)
    expect("--key-file owned by another user", admin(["list"], key=foreign), {3})
    expect("--key-file missing for an existing store",
           admin(["list"], key=os.path.join(TMP, "nokey")), {3})
    garbage = os.path.join(TMP, "key-garbage")
    with open(garbage, "wb") as f:
        f.write(b"\xff" * 65)
    os.chmod(garbage, 0o600)
    expect("--key-file holds garbage", admin(["list"], key=garbage), {3})
    other = os.path.join(TMP, "key-other")
    with open(other, "w") as f:
        f.write(os.urandom(32).hex() + "\n")
    os.chmod(other, 0o600)
    expect("--key-file holds another store's key", admin(["list"], key=other), {3})

    # Usernames as arguments.
    for label, value in STRANGE.items():
        expect("add: username %s" % label,
               admin(["add", value, "--email", "n@example.org", "--first-name", "N",
                      "--last-name", "N"], PASSWORD + "\n"), {2})
        for cmd in ("show", "disable", "enable", "unlock", "delete", "reset-2fa", "confirm"):
            expect("%s: username %s" % (cmd, label), admin([cmd, value], "123456\n"), {2})
        expect("verify: username %s" % label,
               admin(["verify", value], "%s\n123456\n" % PASSWORD), {1})
    rc, out, err = expect("add: mixed-script username (Cyrillic а in аlice)",
                          admin(["add", "\u0430lice", "--email", "n@example.org",
                                 "--first-name", "N", "--last-name", "N"], PASSWORD + "\n"), {2})
    check("  … says why (different alphabets)", "alphabets" in err, err)
    expect("add: full-width username is the existing one (NFKC), refused as taken",
           admin(["add", "\uff41\uff43\uff45", "--email", "n@example.org", "--first-name", "N",
                  "--last-name", "N"], PASSWORD + "\n"), {2})
    expect("show: no such user", admin(["show", "nobody"]), {1})
    expect("delete: no such user", admin(["delete", "nobody"]), {1})

    # The other fields of add.
    for label, value in STRANGE.items():
        for option in ("--email", "--first-name", "--last-name"):
            args = {"--email": "n@example.org", "--first-name": "N", "--last-name": "N"}
            args[option] = value
            expect("add: %s %s" % (option, label),
                   admin(["add", "newbie"] + [x for kv in args.items() for x in kv],
                         PASSWORD + "\n"), {2})
    expect("add: --email with a header injection",
           admin(["add", "newbie", "--email", "a@example.org\r\nBcc: x@example.org",
                  "--first-name", "N", "--last-name", "N"], PASSWORD + "\n"), {2})
    expect("add: first name of 65 characters",
           admin(["add", "newbie", "--email", "n@example.org", "--first-name", "n" * 65,
                  "--last-name", "N"], PASSWORD + "\n"), {2})
    expect("add: unknown option", admin(["add", "newbie", "--frob"]), {2})
    expect("add: two usernames", admin(["add", "a1", "a2", "--email", "n@example.org",
                                        "--first-name", "N", "--last-name", "N"]), {2})

    # Passwords on stdin.
    new = ["add", "newbie", "--email", "n@example.org", "--first-name", "N", "--last-name", "N"]
    for label, data in (("1 MiB line", MIB + b"\n"), ("1 MiB without newline", MIB),
                        ("NUL", b"correct horse\x00battery staple\n"),
                        ("invalid UTF-8", b"correct horse \xff battery staple\n"),
                        ("CR inside", b"correct horse\rbattery staple\n"),
                        ("nothing", b""), ("empty line", b"\n"), ("too short", b"short\n"),
                        ("129 characters", b"x" * 129 + b"\n"),
                        ("all spaces", b" " * 20 + b"\n"),
                        ("the username", b"newbienewbienewbie\n")):
        expect("add: password %s" % label, admin(new, data), {2})

    # Codes on stdin.
    for label, data, codes in (("1 MiB", MIB + b"\n", {2}), ("NUL", b"12\x003456\n", {2}),
                               ("CR inside", b"123\r456\n", {2}),
                               ("invalid UTF-8", b"12\xff3456\n", {1, 2}),
                               ("bidi override", "123\u202e456\n".encode(), {1, 2}),
                               ("five digits", b"12345\n", {1, 2}),
                               ("wrong full-width", full_width("000000\n").encode(), {1, 2}),
                               ("letters", b"abcdef\n", {1, 2}), ("nothing", b"", {2})):
        expect("confirm: code %s" % label, admin(["confirm", "pend"], data), codes)

    # verify: password and code lines.
    for label, data, codes in (
            ("1 MiB password", MIB + b"\n123456\n", {2}),
            ("NUL in password", b"pass\x00word\n123456\n", {2}),
            ("invalid UTF-8 password", b"pass\xffword\n123456\n", {1}),
            ("bidi in password", ("pass\u202eword\n123456\n").encode(), {1}),
            ("1 MiB code", PASSWORD.encode() + b"\n" + MIB + b"\n", {2}),
            ("NUL in code", PASSWORD.encode() + b"\n12\x003456\n", {2}),
            ("invalid UTF-8 code", PASSWORD.encode() + b"\n12\xff3456\n", {1}),
            ("bidi in code", (PASSWORD + "\n123\u202e456\n").encode(), {1}),
            ("no code line", PASSWORD.encode() + b"\n", {2}),
            ("wrong password", b"wrong password!!\n123456\n", {1})):
        expect("verify: %s" % label, admin(["verify", "ace"], data), codes)
    expect("verify --pam: PAM_USER unset", admin(["verify", "--pam"], b"x123456\0",
                                                 env={"PAM_USER": ""}), {2})
    expect("verify --pam: PAM_USER with LF", admin(["verify", "--pam"], b"x123456\0",
                                                   env={"PAM_USER": "ace\nroot"}), {1})
    expect("verify --pam: 1 MiB authtok", admin(["verify", "--pam"], MIB,
                                                env={"PAM_USER": "ace"}), {2})
    expect("verify --pam: no code in authtok", admin(["verify", "--pam"], b"password\0",
                                                     env={"PAM_USER": "ace"}), {1})
    expect("verify: a seat name with LF and 100 kB",
           admin(["verify", "ace"], "%s\n123456\n" % PASSWORD,
                 env={"TWOFOLD_SEAT": "seat\n" + KB100}), {1})

    # Other commands' arguments.
    expect("list: extra argument", admin(["list", "extra"]), {2})
    expect("audit: extra argument", admin(["audit", "extra"]), {2})
    expect("audit: unknown option", admin(["audit", "--frob"]), {2})

    # The service, as the GUI's forms call it.
    fields = ["Ada", "Lovelace", "newbie", "n@example.org", PASSWORD, PASSWORD]
    for index, (field, code) in enumerate((("first name", E_FIRST), ("last name", E_LAST),
                                           ("username", E_USERNAME), ("e-mail", E_EMAIL))):
        for label, value in list(STRANGE.items()) + [("1 MiB", MIB)]:
            args = list(fields)
            args[index] = value
            expect_driver("register: %s %s" % (field, label), driver("register", *args), {2},
                          code)
    for label, value, code in (("1 MiB", MIB, E_PASSWORD),
                               ("invalid UTF-8", b"correct horse \xff battery", E_PASSWORD),
                               ("too short", b"short", E_PASSWORD),
                               ("made of the username", b"newbienewbienewbie", E_PASSWORD),
                               ("dictionary word", b"password1234", E_PASSWORD)):
        args = list(fields)
        args[4] = args[5] = value
        expect_driver("register: password %s" % label, driver("register", *args), {2}, code)
    args = list(fields)
    args[5] = PASSWORD + "!"
    expect_driver("register: confirmation differs", driver("register", *args), {2}, E_MISMATCH)
    args = list(fields)
    args[2] = "\u0430lice"
    expect_driver("register: mixed-script username", driver("register", *args), {2}, E_USERNAME)
    for label, username, password, code in (
            ("1 MiB username", MIB, PASSWORD, "123456"),
            ("1 MiB password", "ace", MIB, "123456"),
            ("1 MiB code", "ace", PASSWORD, MIB),
            ("CR/LF username", "ace\r\n", PASSWORD, "123456"),
            ("invalid UTF-8 everywhere", b"\xff", b"\xfe", b"\xfd"),
            ("bidi code", "ace", PASSWORD, "123\u202e456")):
        expect_driver("login: %s" % label, driver("login", username, password, code), {1},
                      None)
    for label, new, confirmation, code in (
            ("1 MiB new password", MIB, MIB, 4),
            ("new password too short", "short", "short", 4),
            ("confirmation differs", "another good passphrase", "another good passphrase!", 5),
            ("invalid UTF-8 new password", b"another \xff passphrase", b"another \xff passphrase",
             4)):
        expect_driver("change-password: %s" % label,
                      driver("change-password", "ace", PASSWORD, "123456", new, confirmation,
                             unlock="ace"),
                      {2}, code)
    expect_driver("change-password: wrong current password",
                  driver("change-password", "ace", "wrong password!!", "123456",
                         "another good passphrase", "another good passphrase", unlock="ace"),
                  {1}, E_FAILED)
    expect_driver("regenerate: 1 MiB code",
                  driver("regenerate", "ace", PASSWORD, MIB, unlock="ace"), {1}, E_FAILED)
    expect_driver("confirm: 1 MiB code", driver("confirm", "pend", MIB, unlock="pend"), {1},
                  E_WRONG_CODE)

    # A whole-script look-alike is a different account (see the docstring).
    expect("add: all-Cyrillic \u0430\u0441\u0435 beside Latin ace is its own account",
           admin(["add", "\u0430\u0441\u0435", "--email", "c@example.org", "--first-name", "C",
                  "--last-name", "C"], "another good passphrase\n"), {0})
    intended.add("\u0430\u0441\u0435")
    before_users["\u0430\u0441\u0435"] = "pending"
    expect("verify: ace's password does not open \u0430\u0441\u0435",
           admin(["verify", "\u0430\u0441\u0435"], "%s\n123456\n" % PASSWORD), {1})

    settings_cases(intended)

    # Nothing refused was stored.
    after_users = users()
    check("no account was added, removed or changed by refused input",
          after_users == before_users, "before %s\nafter %s" % (before_users, after_users))
    entries = audit()[before_audit:]
    made = [e for e in entries if e["event"] in ("admin.add", "register")]
    check("the audit log shows no account creation but the intended ones",
          all(e["user"] in intended for e in made), json.dumps(made, ensure_ascii=False))
    allowed = {"admin.add", "admin.delete", "admin.unlock", "register", "login.failure", "login.throttled", "login.success",
               "enrolment.failure", "enrolment.confirmed", "authorise.failure"}
    check("new audit entries are refusals or the intended actions",
          all(e["event"] in allowed for e in entries),
          json.dumps(sorted({e["event"] for e in entries})))
    rc, out, err = admin(["audit", "--verify"])
    check("the audit log is intact", rc == 0, err)
    rc, out, err = admin(["doctor"])
    check("doctor is happy afterwards", rc == 0, out + err)

    print("1..%d" % len(results))
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name.replace("\n", " ")))
        if not ok and detail:
            for line in str(detail).splitlines()[:20]:
                print("#   " + line)
    shutil.rmtree(TMP, ignore_errors=True)


def is_utf8(data):
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def settings_cases(intended):
    """Settings from a keyfile, as GSETTINGS_BACKEND=keyfile reads them."""
    config = os.path.join(TMP, "config")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"), exist_ok=True)
    keyfile = os.path.join(config, "glib-2.0", "settings", "keyfile")
    data_home = os.path.join(TMP, "data-home")

    def with_settings(values, args, stdin=b"", store=None, key=KEY):
        with open(keyfile, "wb") as f:
            f.write(b"[org/twofold/Twofold]\n")
            for k, v in values.items():
                f.write(k.encode() + b"=" + v + b"\n")
        env = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config,
               "XDG_DATA_HOME": data_home}
        if any(not is_utf8(v) for v in values.values()):
            # GLib's known CRITICAL (KNOWN_GLIB_MESSAGES) would abort under the
            # tests' fatal-warnings; run as a user's session does.
            env["G_DEBUG"] = ""
        return admin(args, stdin, env=env, store=store, key=key)

    def gv(text):
        """A GVariant string literal."""
        if isinstance(text, str):
            text = text.encode()
        return b"'" + text.replace(b"\\", b"\\\\").replace(b"'", b"\\'") + b"'"

    fifo = os.path.join(TMP, "fifo")
    for label, value, codes, known in (
            ("a directory", gv(TMP), {3}, None),
            ("a FIFO", gv(fifo), {3}, None),
            ("/dev/null", gv("/dev/null"), {3}, None),
            ("1 MiB long", gv("/" + "a" * (1 << 20)), {3}, None),
            ("with LF, missing", gv(os.path.join(TMP, "x\ny.db")), {3}, None),
            ("not UTF-8 (default used)", gv(os.fsencode(TMP) + b"/\xff.db"), {3},
             KNOWN_GLIB_MESSAGES["settings: store-path not UTF-8"])):
        expect("settings: store-path %s" % label,
               with_settings({"store-path": value}, ["list"]), codes, known)
    loose = os.path.join(TMP, "key-loose")
    for label, value in (("a symlink", os.path.join(TMP, "key-link")), ("0644", loose),
                         ("a directory", TMP), ("a FIFO", fifo), ("1 MiB long", "/" + "k" * (1 << 20))):
        expect("settings: key-file %s" % label,
               with_settings({"store-path": gv(STORE), "key-file": gv(value)}, ["list"], key=None),
               {3})
    for label, value in (("CR/LF", "Evil\r\nCorp"), ("bidi override", "Evil\u202eCorp"),
                         ("1 MiB", "i" * (1 << 20)), ("a colon and a query", "a:b?secret=AAAA&x"),
                         ("not UTF-8 bytes", None)):
        username = "iss%d" % len(intended)
        raw = gv(value) if value is not None else b"'caf\xe9'"
        rc, out, err = expect("settings: issuer %s" % label,
                              with_settings({"store-path": gv(STORE), "issuer": raw},
                                            ["add", username, "--email", "i@example.org",
                                             "--first-name", "I", "--last-name", "I"],
                                            PASSWORD + "\n", key=KEY),
                              {0, 3}, KNOWN_GLIB_MESSAGES["settings: store-path not UTF-8"]
                              if value is None else None)
        if rc == 0:
            intended.add(username)
            uri = [l for l in out.splitlines() if l.startswith("otpauth://")]
            check("  … the URI is one line with one secret= and the issuer escaped",
                  len(uri) == 1 and uri[0].count("secret=") == 1 and "\r" not in uri[0]
                  and "\u202e" not in uri[0], out[:300])
            admin(["delete", username])
    for label, key, value in (("idle-timeout out of range", "idle-timeout", b"uint32 999999"),
                              ("smtp-port 0", "smtp-port", b"uint32 0"),
                              ("smtp-security unknown", "smtp-security", b"'bogus'"),
                              ("allow-registration of the wrong type", "allow-registration",
                               b"'yes'"),
                              ("kiosk-session-command not a list", "kiosk-session-command",
                               b"'rm -rf /'"),
                              ("smtp-host with CR/LF", "smtp-host", gv("mail\r\nRCPT TO:x")),
                              ("mail-from with angle brackets", "mail-from", gv("<a@b>\r\n")),
                              ("a line that does not parse", "issuer", b"'unterminated")):
        # doctor reports on stdout, line by line.
        expect("settings: %s" % label,
               with_settings({"store-path": gv(STORE), key: value}, ["doctor"]), {0, 3},
               one_line=False)


if __name__ == "__main__":
    main()
