#!/usr/bin/python3
"""A forgotten password, reset through the real Twofold window over AT-SPI,
with the mail going through a real SMTP server (aiosmtpd) on 127.0.0.1.

Creates an account as test-gui.py does, verifies its e-mail address with
the code from the mail the server received, logs out, follows "Forgot
Password?", reads the 8-digit reset code from the next mail, fills the Reset
Password page (code, new password twice, a fresh TOTP code from oathtool),
sees the Log In page with its toast, and logs in with the new password and
a fresh code. The "password changed" notice must arrive holding no secret.
Then it changes the e-mail address from Home: the old address gets a notice,
the new one a code, which Home takes to verify it.

Prints TAP. Run it under tests/tf-test-session --display:

    test-gui-reset.py PATH/TO/twofold SCREENSHOT-DIR PATH/TO/tf-smtp-server.py

It drives the window with test-gui.py's machinery (App, A11yBus, the
Authenticator), loaded from the file beside it; see there for what GTK 4.8's
AT-SPI allows. Screenshots of every step (the Reset Password page as
reset-page.png), twofold's output and the mail received go to SCREENSHOT-DIR.
"""
import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys

if len(sys.argv) != 4:
    sys.exit("usage: test-gui-reset.py PATH/TO/twofold SCREENSHOT-DIR PATH/TO/tf-smtp-server.py")
SMTP_SERVER = os.path.abspath(sys.argv[3])

# test-gui.py reads its arguments (twofold, the screenshot directory) when
# loaded; the third is ours.
_spec = importlib.util.spec_from_file_location(
    "tf_test_gui", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-gui.py"))
gui = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gui)
tap = gui.tap

NEW_PASSWORD = "Copper-Orchard-Lighthouse-4711"
NEW_EMAIL = "countess@example.net"
MAIL_FROM = "twofold@example.org"
MAIL_CODE = re.compile(r"(?<!\d)(\d{4}) (\d{4})(?!\d)")


class SmtpServer:
    """tests/tf-smtp-server.py on a free loopback port; it exits when its
    standard input closes, so never outlives this test."""

    def __init__(self, outdir):
        self.dir = outdir
        os.makedirs(outdir)
        self.proc = subprocess.Popen(["/usr/bin/python3", SMTP_SERVER, "--outdir", outdir,
                                      "--port", "0"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != b"PORT":
            raise gui.Abort("the SMTP server did not start: %r" % line)
        self.port = int(line[1])

    def messages(self):
        found = []
        while os.path.exists(os.path.join(self.dir, "%04d.ini" % (len(found) + 1))):
            parser = configparser.ConfigParser(interpolation=None)
            parser.read(os.path.join(self.dir, "%04d.ini" % (len(found) + 1)), encoding="utf-8")
            found.append(parser)
        return found

    def wait_for(self, app, subject, after):
        """The first message after number after whose subject holds subject."""
        return app.poll("a mail '%s' at the SMTP server" % subject, lambda: next(
            (m for m in self.messages()[after:] if subject in m["headers"]["subject"]), None))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def mailed_code(message):
    found = MAIL_CODE.search(message["text"]["body"])
    return found.group(1) + found.group(2) if found else None


def check_envelope(message, what):
    h = message["headers"]
    tap.ok(message["envelope"]["rcpt_tos"] == gui.EMAIL and h["to_address"] == gui.EMAIL
           and message["envelope"]["mail_from"] == MAIL_FROM and h["from_address"] == MAIL_FROM
           and h["date_valid"] == "true" and message["checks"]["crlf_only"] == "true",
           "%s: to %s, from %s, CRLF only" % (what, gui.EMAIL, MAIL_FROM),
           dict(h, **dict(message["envelope"])))


def settled_screenshot(app, name, toast=None):
    """The window alone, once toast has gone and two shots in a row are the
    same (what was typed has been drawn)."""
    path = os.path.join(gui.SHOTS, name + ".png")
    x, y, w, h = app.window
    if toast is not None:
        app.poll("the '%s' toast to go" % toast, lambda: app.toast(toast) is None)

    def shoot():
        r = subprocess.run(["import", "-window", "root", "-crop", "%dx%d%+d%+d" % (w, h, x, y),
                            "+repage", "-depth", "8", "rgb:-"], capture_output=True, timeout=60)
        return r.stdout if r.returncode == 0 else None
    last = [None]

    def same_twice():
        now = shoot()
        same = now is not None and now == last[0]
        last[0] = now
        return same
    app.poll("the page to be drawn", same_twice)
    r = gui.run(["import", "-window", "root", "-crop", "%dx%d%+d%+d" % (w, h, x, y), "+repage",
                 path])
    if r.returncode != 0:
        raise gui.Abort("import failed: %s" % r.stderr)
    return path


def log_in(app, password, code):
    app.wait_for(("push button",), "Log In", "the Log In page")
    app.type_into("Username", gui.USERNAME)
    app.type_into("Password", password)
    app.type_into("Code", code)
    app.press("Log In")


def steps(app, smtp):
    with open(os.path.join(app.config, "glib-2.0", "settings", "keyfile"), "a") as f:
        f.write("smtp-host='127.0.0.1'\nsmtp-port=uint32 %d\nsmtp-security='none'\n"
                "mail-from='Twofold <%s>'\n" % (smtp.port, MAIL_FROM))
    app.start()
    app.connect()
    app.wait_for(("push button",), "Log In", "the Log In page")
    tap.ok(True, "the window appears, mail going to 127.0.0.1:%d in clear" % smtp.port)

    phone, codes = gui.register_and_enrol(app)
    tap.ok(True, "an account is created and enrolled")

    # The address is verified from Home with the code mailed at registration.
    mail = smtp.wait_for(app, "Confirm your e-mail address", 0)
    check_envelope(mail, "the verification mail")
    code = mailed_code(mail)
    tap.ok(code is not None, "it holds an 8-digit code")
    log_in(app, gui.PASSWORD, phone.code(app))
    app.poll("Home", lambda: app.text_on_page(gui.WELCOME))
    app.wait_for(("push button",), "Verify", "Verify your e-mail address on Home")
    app.screenshot("20-home-verify-email")
    app.type_into("Code from the email", code)
    app.press("Verify")
    app.poll("the 'E-mail address verified' toast", lambda: app.toast("E-mail address verified"))
    tap.ok(app.find(("push button",), "Verify") is None,
           "the code from the mail verifies the address on Home")
    app.press("Log Out")

    # Forgot Password? → the code from the mail → Reset Password.
    app.wait_for(("push button",), "Log In", "the Log In page after logging out")
    app.press("Forgot Password?")
    app.wait_for(("push button",), "Send Code", "the Forgot Password page")
    before = len(smtp.messages())
    app.type_into("Username or email", gui.USERNAME)
    app.press("Send Code")
    answer = app.poll("the answer", lambda: app.text_on_page("a code is on its way"))
    app.screenshot("21-forgot")
    tap.ok(True, "Forgot Password answers: " + answer)
    mail = smtp.wait_for(app, "Your Twofold password reset code", before)
    check_envelope(mail, "the reset mail")
    reset_code = mailed_code(mail)
    tap.ok(reset_code is not None, "the reset mail holds an 8-digit code")

    app.press("Enter the Code")
    app.wait_for(("push button",), "Reset Password", "the Reset Password page")
    totp = phone.code(app)
    app.type_into("Code from the email", reset_code[:4] + " " + reset_code[4:])
    app.type_into("New password", NEW_PASSWORD)
    app.type_into("Confirm new password", NEW_PASSWORD)
    app.type_into("Authenticator code or recovery code", totp)
    path = settled_screenshot(app, "reset-page", toast="Logged out")
    tap.ok(os.path.getsize(path) > 0, "the Reset Password page, filled in: " + path)
    before = len(smtp.messages())
    app.press("Reset Password")

    app.wait_for(("push button",), "Log In", "the Log In page after the reset")
    toast = app.poll("the 'password was changed' toast",
                     lambda: app.toast("Your password was changed"))
    app.screenshot("22-reset-done")
    tap.ok(True, "the reset leads to Log In, saying: " + toast)

    log_in(app, NEW_PASSWORD, phone.code(app))
    app.poll("Home with the new password", lambda: app.text_on_page(gui.WELCOME))
    app.screenshot("23-home-new-password")
    tap.ok(True, "the new password and a fresh code reach Home")

    notice = smtp.wait_for(app, "Your Twofold password was changed", before)
    check_envelope(notice, "the 'password changed' notice")
    body = notice["text"]["body"] + notice["html"]["body"]
    leaked = [s for s in (NEW_PASSWORD, gui.PASSWORD, reset_code, totp, codes[0])
              if s in body] + MAIL_CODE.findall(body)
    tap.ok("“%s”" % gui.USERNAME in body and not leaked,
           "the notice names the account and holds no secret", leaked)
    tap.ok(len(smtp.messages()) == 3, "three mails in all: verification, reset, notice",
           [m["headers"]["subject"] for m in smtp.messages()])
    change_email(app, smtp, phone)


def change_email(app, smtp, phone):
    """Home → Change Email Address → Home asking for the new address's code."""
    # The row has no AT-SPI action in GTK 4.8: click it, as a person would.
    row = app.poll("the Change Email Address row on Home", lambda: app.find(
        ("list item",), "Change Email Address"))
    ext = row.queryComponent().getExtents(gui.pyatspi.WINDOW_COORDS)
    if ext.y + ext.height > app.window[3]:
        raise gui.Abort("the Change Email Address row is below the window's edge")
    app.click(row)
    app.wait_for(("push button",), "Change Email Address", "the Change Email Address page")
    before = len(smtp.messages())
    app.type_into("New email address", NEW_EMAIL)
    app.type_into("Current password", NEW_PASSWORD)
    app.type_into("Code", phone.code(app))
    settled_screenshot(app, "24-change-email")
    app.press("Change Email Address")

    toast = app.poll("the 'Email address changed' toast",
                     lambda: app.toast("Email address changed"))
    app.wait_for(("push button",), "Verify", "Verify your e-mail address on Home again")
    app.screenshot("25-home-verify-new-email")
    tap.ok(True, "Change Email Address returns Home, asking for the new code: " + toast)

    notice = smtp.wait_for(app, "The e-mail address of your Twofold account was changed", before)
    code = smtp.wait_for(app, "Confirm your e-mail address", before)
    tap.ok(notice["envelope"]["rcpt_tos"] == gui.EMAIL
           and code["envelope"]["rcpt_tos"] == NEW_EMAIL
           and code["headers"]["to_address"] == NEW_EMAIL,
           "the notice goes to the old address, the code to the new one",
           [dict(m["envelope"]) for m in smtp.messages()[before:]])
    body = notice["text"]["body"] + notice["html"]["body"]
    tap.ok(NEW_EMAIL not in body and not MAIL_CODE.findall(body),
           "the notice holds no code and not the new address", body)
    app.type_into("Code from the email", mailed_code(code) or "")
    app.press("Verify")
    app.poll("the 'E-mail address verified' toast", lambda: app.toast("E-mail address verified"))
    tap.ok(True, "the code from the mail verifies the new address")


def journey(app):
    smtp = SmtpServer(os.path.join(gui.SHOTS, "mail"))
    try:
        steps(app, smtp)
    finally:
        smtp.stop()


if __name__ == "__main__":
    sys.exit(gui.main(journey))
