#!/usr/bin/python3
"""twofold-admin outbox, smtp-test and smtp-password against a real SMTP
server (tests/tf-smtp-server.py, aiosmtpd) on 127.0.0.1; and an e-mail
change through the service (tests/hardening/auth-driver.c, the calls the
window makes), its mail, and the reset that waits for the new address.

Runs inside tf-test-session --keyring (a private bus and an unlocked
gnome-keyring for smtp-password). Settings go through GSettings' keyfile
backend, so each twofold-admin run reads what the test wrote. Prints TAP.
Usage: test-mail.py PATH/TO/twofold-admin PATH/TO/tf-smtp-server.py PATH/TO/auth-driver
"""
import configparser
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ADMIN = sys.argv[1]
SERVER = sys.argv[2]
DRIVER = sys.argv[3]
WRAPPER = shlex.split(os.environ.get("TF_ADMIN_WRAPPER", ""))
TMP = tempfile.mkdtemp(prefix="twofold-mail-")
STORE = os.path.join(TMP, "store", "twofold.db")
KEY = os.path.join(TMP, "key")
PASSWORD = "correct horse battery staple"
SETTINGS = os.path.join(os.environ.get("XDG_CONFIG_HOME", TMP), "glib-2.0", "settings", "keyfile")
ENV = dict(os.environ, GSETTINGS_BACKEND="keyfile")
results = []
servers = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def settings(**values):
    """Writes the keyfile backend's file: only what is given, the rest default."""
    os.makedirs(os.path.dirname(SETTINGS), exist_ok=True)
    with open(SETTINGS, "w") as f:
        f.write("[org/twofold/Twofold]\n")
        for key, value in values.items():
            key = key.replace("_", "-")
            if isinstance(value, int):
                f.write("%s=uint32 %d\n" % (key, value))
            else:
                f.write("%s='%s'\n" % (key, value))


def run(*args, stdin=""):
    cmd = WRAPPER + [ADMIN, "--store", STORE, "--key-file", KEY] + list(args)
    p = subprocess.run(cmd, input=stdin.encode(), capture_output=True, env=ENV,
                       timeout=600 if WRAPPER else 60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def driver(op, *fields):
    """One service call (auth-driver): fields as length-prefixed strings."""
    data = b"".join(b"%d\n" % len(f.encode()) + f.encode() for f in fields)
    # Not under TF_ADMIN_WRAPPER (memcheck): the driver is a test tool, and
    # the service calls it makes run under memcheck in the core suite.
    p = subprocess.run([DRIVER, "--store", STORE, "--key-file", KEY, op], input=data,
                       capture_output=True, env=ENV, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def oathtool(secret, at):
    return subprocess.run(["oathtool", "--totp", "-b", "-N", "@%d" % at, secret],
                          capture_output=True, text=True, check=True).stdout.strip()


def mailed_code(message):
    """The "1234 5678" code in a received message's text, as 8 digits."""
    found = re.search(r"(?<!\d)(\d{4}) (\d{4})(?!\d)", message["text"]["body"])
    return found.group(1) + found.group(2) if found else None


def one_line_error(err):
    lines = err.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("twofold-admin: ")


class Server:
    def __init__(self, port=0, auth=None):
        self.dir = tempfile.mkdtemp(prefix="smtp-", dir=TMP)
        cmd = ["/usr/bin/python3", SERVER, "--outdir", self.dir, "--port", str(port)]
        if auth:
            cmd += ["--auth", auth]
        # The server exits when its stdin closes: with us, whatever happens.
        self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        servers.append(self)
        self.port = int(self.process.stdout.readline().split()[1])

    def messages(self):
        found = []
        n = 1
        while os.path.exists(os.path.join(self.dir, "%04d.ini" % n)):
            parser = configparser.ConfigParser(interpolation=None)
            parser.read(os.path.join(self.dir, "%04d.ini" % n), encoding="utf-8")
            found.append(parser)
            n += 1
        return found

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)


def outbox():
    rc, out, err = run("outbox", "--json")
    return json.loads(out) if rc == 0 else None


try:
    for cmd in ["outbox", "smtp-test", "smtp-password"]:
        rc, out, err = run(cmd, "--help")
        check("%s --help" % cmd, rc == 0 and "Usage:" in out, err)

    settings()
    rc, out, err = run("init")
    check("init", rc == 0, err)
    rc, out, err = run("add", "alice", "--email", "alice@example.org", "--first-name", "Alice",
                       "--last-name", "Liddell", stdin=PASSWORD + "\n")
    check("add alice", rc == 0, err)

    # A new account gets a verification code, queued before anything is sent.
    box = outbox()
    check("outbox --json lists the verification mail, queued",
          box is not None and len(box) == 1 and box[0]["recipient"] == "alice@example.org"
          and box[0]["state"] == "queued"
          and box[0]["subject"] == "Confirm your e-mail address for Twofold", box)
    rc, out, err = run("outbox")
    check("outbox prints one line per message", rc == 0 and len(out.splitlines()) == 1
          and "\tqueued\talice@example.org\t" in out, out)

    # Mail not configured: stays queued, saying so.
    rc, out, err = run("outbox", "--retry")
    check("outbox --retry without mail settings exits 3", rc == 3 and one_line_error(err)
          and "mail is not configured" in err, err)
    box = outbox()
    check("the message stays queued with “mail is not configured”",
          box[0]["state"] == "queued" and box[0]["last_error"] == "mail is not configured"
          and box[0]["attempts"] == 0, box)
    rc, out, err = run("smtp-test", "bob@example.org")
    check("smtp-test without mail settings exits 3", rc == 3 and one_line_error(err), err)

    server = Server()
    mail = dict(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none",
                mail_from="Twofold Admin <twofold@example.org>")
    settings(**mail)
    rc, out, err = run("outbox", "--retry", "--json")
    box = json.loads(out) if out else None
    check("outbox --retry sends it", rc == 0 and box and box[0]["state"] == "sent"
          and box[0]["last_error"] is None, err + out)
    got = server.messages()
    check("the server received it, envelope and headers right",
          len(got) == 1 and got[0]["envelope"]["rcpt_tos"] == "alice@example.org"
          and got[0]["envelope"]["mail_from"] == "twofold@example.org"
          and got[0]["headers"]["from_name"] == "Twofold Admin"
          and got[0]["headers"]["subject"] == "Confirm your e-mail address for Twofold",
          [dict(m["headers"]) for m in got])

    rc, out, err = run("smtp-test", "bob@example.org")
    got = server.messages()
    check("smtp-test sends and prints the server's reply",
          rc == 0 and "Server reply: 250 2.0.0 queued as 0002" in out
          and len(got) == 2 and got[1]["headers"]["subject"] == "Twofold test message",
          out + err)
    rc, out, err = run("smtp-test", "nobody@example.org")
    check("smtp-test reports a refused recipient with the SMTP reply",
          rc == 3 and one_line_error(err) and "550 5.1.1 no such user" in err, err)
    rc, out, err = run("smtp-test", "bob@example.org\r\nBcc: victim@example.org")
    check("smtp-test refuses header injection with exit 2", rc == 2 and one_line_error(err), err)
    rc, out, err = run("smtp-test", "<bob@example.org>")
    check("smtp-test refuses angle brackets with exit 2", rc == 2 and one_line_error(err), err)

    settings(**dict(mail, smtp_security="starttls"))
    rc, out, err = run("smtp-test", "bob@example.org")
    check("STARTTLS required: a plain server is refused", rc == 3 and "STARTTLS" in err, err)
    check("... and nothing was sent", len(server.messages()) == 2)

    settings(**dict(mail, mail_from="Evil\\nBcc: x@example.org <a@example.org>"))
    rc, out, err = run("smtp-test", "bob@example.org")
    check("a mail-from with a line break is refused", rc == 3 and "mail-from" in err, err)

    # Server down: queued with the error; back up: delivered on retry.
    settings(**mail)
    server.stop()
    rc, out, err = run("add", "bob", "--email", "bob@example.org", "--first-name", "Bob",
                       "--last-name", "Builder", stdin=PASSWORD + "\n")
    rc, out, err = run("outbox", "--retry", "--json")
    box = json.loads(out) if out else []
    bob = [m for m in box if m["recipient"] == "bob@example.org"]
    check("server down: exit 3, the message stays queued with the error",
          rc == 3 and bob and bob[0]["state"] == "queued" and bob[0]["attempts"] == 1
          and "connect" in (bob[0]["last_error"] or "") and bob[0]["next_attempt"], err + out)
    server = Server(port=server.port)
    rc, out, err = run("outbox", "--retry", "--json")
    box = json.loads(out) if out else []
    bob = [m for m in box if m["recipient"] == "bob@example.org"]
    check("server back: delivered on retry", rc == 0 and bob and bob[0]["state"] == "sent"
          and len(server.messages()) == 1, err + out)

    # Changing the e-mail address, with the password and a code as the window
    # asks: a notice to the old address, a code to the new one, and no reset
    # code anywhere until the new address is confirmed.
    rc, out, err = run("add", "carol", "--email", "carol@example.org", "--first-name", "Carol",
                       "--last-name", "Jones", stdin=PASSWORD + "\n")
    uri = re.search(r"[?&]secret=([A-Z2-7]+)", out)
    carol = uri.group(1) if uri else ""
    now = time.time()
    rc, out, err = run("confirm", "carol", stdin=oathtool(carol, now) + "\n")
    recovery = out.split()
    check("carol added and confirmed", rc == 0 and len(recovery) == 10, err)
    before = len(server.messages())
    rc, out, err = run("outbox", "--retry")
    got = server.messages()[before:]
    code = mailed_code(got[-1]) if got else None
    rc, out, err = driver("verify-email", "carol", code or "")
    check("carol's first address verified with the mailed code", rc == 0, out + err)

    def next_code():
        # A step after confirm's, taken when it is used: under memcheck a
        # call takes long enough for "now + 30" to fall out of the window.
        return oathtool(carol, time.time() + 30)

    for bad in ["carol@example.net\r\nBcc: victim@example.org", "carol@example.net\n",
                "<carol@example.net>", "Carol <carol@example.net>", "carol@example.net>"]:
        rc, out, err = driver("change-email", "carol", PASSWORD, next_code(), bad)
        check("change-email refuses %r" % bad, rc == 2 and out.startswith("error tf-auth-error-quark 3 "),
              out + err)
    rc, out, err = driver("change-email", "carol", "not the password", next_code(),
                          "carol@example.net")
    check("change-email refuses a wrong password", rc == 1, out + err)
    rc, out, err = driver("change-email", "carol", PASSWORD, next_code(),
                          "carol@example.net")
    check("change-email with password + code", rc == 0 and out == "ok\n", out + err)
    box = outbox()
    check("both mails queued before anything is sent", box is not None and len(
        [m for m in box if m["state"] == "queued"]) == 2, box)

    before = len(server.messages())
    rc, out, err = run("outbox", "--retry")
    got = server.messages()[before:]
    notice = [m for m in got if m["envelope"]["rcpt_tos"] == "carol@example.org"]
    verify = [m for m in got if m["envelope"]["rcpt_tos"] == "carol@example.net"]
    check("both mails delivered, one to each address", rc == 0 and len(got) == 2
          and len(notice) == 1 and len(verify) == 1, [dict(m["envelope"]) for m in got])
    for name, m, subject in [("notice", notice, "The e-mail address of your Twofold account was "
                              "changed"), ("code", verify, "Confirm your e-mail address for Twofold")]:
        h = m[0]["headers"] if m else {}
        check("%s: envelope and headers right" % name, m
              and m[0]["envelope"]["mail_from"] == "twofold@example.org"
              and h["from_name"] == "Twofold Admin" and h["from_address"] == "twofold@example.org"
              and h["to_name"] == "Carol Jones" and h["to_address"] == m[0]["envelope"]["rcpt_tos"]
              and h["subject"] == subject and h["date_valid"] == "true" and h["message_id"]
              and h["defects"] == "0" and m[0]["checks"]["crlf_only"] == "true", dict(h))
    body = (notice[0]["text"]["body"] + notice[0]["html"]["body"]) if notice else ""
    check("the notice holds no code and not the new address", notice and "“carol”" in body
          and mailed_code(notice[0]) is None and "carol@example.net" not in body, body)
    new_code = mailed_code(verify[0]) if verify else None

    rc, out, err = driver("request-reset", "carol")
    rc2, out2, err2 = driver("request-reset", "carol@example.net")
    box = outbox()
    check("no reset code while the new address is unconfirmed (same answer)",
          rc == 0 and rc2 == 0 and box is not None
          and not [m for m in box if m["state"] == "queued"], out + out2 + str(box))
    rc, out, err = driver("verify-email", "carol", code or "")
    check("the first address's (used) code does not confirm the new one", rc == 1, out + err)
    rc, out, err = driver("verify-email", "carol", new_code or "")
    check("the mailed code confirms the new address", rc == 0, out + err)

    rc, out, err = driver("request-reset", "carol@example.net")
    before = len(server.messages())
    run("outbox", "--retry")
    got = server.messages()[before:]
    check("then a reset code goes to the new address", len(got) == 1
          and got[0]["envelope"]["rcpt_tos"] == "carol@example.net"
          and got[0]["headers"]["subject"] == "Your Twofold password reset code",
          [dict(m["headers"]) for m in got])
    reset_code = mailed_code(got[0]) if got else None
    rc, out, err = driver("reset", "carol", reset_code or "", "a brand new passphrase 42",
                          "a brand new passphrase 42", recovery[0] if recovery else "")
    check("and it resets the password (with a recovery code)", rc == 0, out + err)
    rc, out, err = driver("login", "carol", "a brand new passphrase 42",
                          recovery[1] if recovery else "")
    check("carol logs in with the new password", rc == 0, out + err)

    # The SMTP password: in the keyring (smtp-password), or a 0600 file.
    server.stop()
    server = Server(auth="twofold:s3cret smtp")
    mail = dict(mail, smtp_port=server.port, smtp_username="twofold")
    settings(**mail)
    rc, out, err = run("smtp-test", "bob@example.org")
    check("no password stored: smtp-test says how to store one",
          rc == 3 and "smtp-password" in err, err)
    rc, out, err = run("smtp-password", stdin="s3cret smtp\n")
    check("smtp-password stores it in the keyring", rc == 0, err)
    rc, out, err = run("smtp-test", "bob@example.org")
    check("smtp-test authenticates with the keyring's password", rc == 0 and
          len(server.messages()) == 1, err)
    rc, out, err = run("smtp-password", "--delete")
    check("smtp-password --delete", rc == 0, err)
    rc, out, err = run("smtp-password", "--delete")
    check("smtp-password --delete again exits 1", rc == 1, err)

    password_file = os.path.join(TMP, "smtp-password")
    with open(password_file, "w") as f:
        f.write("s3cret smtp\n")
    os.chmod(password_file, 0o644)
    settings(**dict(mail, smtp_password_file=password_file))
    rc, out, err = run("smtp-test", "bob@example.org")
    check("a password file others can read is refused", rc == 3 and "0600" in err, err)
    os.chmod(password_file, 0o600)
    rc, out, err = run("smtp-test", "bob@example.org")
    check("a 0600 password file works", rc == 0 and len(server.messages()) == 2, err)
    with open(password_file, "w") as f:
        f.write("wrong\n")
    rc, out, err = run("smtp-test", "bob@example.org")
    check("a wrong password is reported", rc == 3 and "password" in err, err)
    server.stop()
finally:
    for s in servers:
        s.stop()
    shutil.rmtree(TMP, ignore_errors=True)

leftover = [s for s in servers if s.process.poll() is None]
check("no SMTP server is left running", not leftover)

print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail:
        for line in str(detail).splitlines()[:20]:
            print("#   " + line)
sys.exit(0)
