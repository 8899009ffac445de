#!/usr/bin/python3
"""The real Twofold window, driven through AT-SPI the way a screen reader does.

Creates an account, reads the QR code off a screenshot of the screen with
zbarimg, types codes computed by oathtool, ticks the recovery-codes box, logs
in, logs out, logs in again and with a recovery code read off the screen;
wrong codes must show their errors. Then starts twofold a second time on the
same store and logs in again.

Prints TAP. Run it under tests/tf-test-session --display (Xvfb and a private
bus on which only the accessibility bus can be activated):

    test-gui.py [--keyring] PATH/TO/twofold [SCREENSHOT-DIR]

--keyring: the store's master key lives in the keyring (tf-test-session
--keyring starts an unlocked gnome-keyring), as on a desktop, instead of in a
key file. Screenshots of every step and twofold's output go to SCREENSHOT-DIR,
by default $TF_BUILD_ROOT/tests/e2e/gui-e2e-screenshots (gui-keyring-… with
--keyring). TF_GUI_WAIT sets how long any single wait may take (90 s).

GTK 4.8's AT-SPI, as this test meets it (see also TESTING.md):
- entry text cannot be read back; grabFocus is missing;
- no widget is ever SHOWING, and the pages of a GtkStack that are not on
  screen stay in the tree, VISIBLE, with stale extents. So the test asks GTK
  which widget is under a point of the window (Component.GetAccessibleAtPoint,
  the hit-testing of a mouse click) to know which page is on screen, and only
  looks for widgets inside that page. GTK answers that only with widgets a
  client has already walked over;
- change events are only sent once a listener registers, so libatspi's cache
  goes stale: the test turns it off and asks the app every time;
- check buttons have no action: the test ticks them with a pointer click
  (XTest, through the AT-SPI registry);
- a widget with both an accessible label and a label naming it (a mnemonic
  label, a row's title) is named twice ("Log In Log In"), and a GtkButton's
  own label with a mnemonic is named with its underscore ("_Log In Log In"):
  the test fails on any such name of a control it meets.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

ARGS = [a for a in sys.argv[1:] if a != "--keyring"]
KEYRING = "--keyring" in sys.argv[1:]
if not ARGS:
    sys.exit("usage: test-gui.py [--keyring] PATH/TO/twofold [SCREENSHOT-DIR]")
EXE = os.path.abspath(ARGS[0])
BUILD_ROOT = os.environ.get("TF_BUILD_ROOT") or os.path.dirname(os.path.dirname(
    os.path.dirname(EXE)))
SHOTS = os.path.abspath(ARGS[1]) if len(ARGS) > 1 else os.path.join(
    BUILD_ROOT, "tests", "e2e", "gui-keyring-screenshots" if KEYRING else "gui-e2e-screenshots")

# Every wait polls until this many seconds have passed: CI machines are slow
# and busy (a log-in runs Argon2id with 64 MiB).
WAIT = float(os.environ.get("TF_GUI_WAIT", "90"))
POLL = 0.25

FIRST, LAST, USERNAME = "Ada", "Lovelace", "ada"
EMAIL = "ada@example.org"
PASSWORD = "Quartz-Lantern-Meadow-2718"
RECOVERY_CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")
# Eight groups of four, in two lines of four groups.
SECRET_GROUPS = re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4}){3}\n[A-Z2-7]{4}( [A-Z2-7]{4}){3}$")
GENERIC_LOGIN_ERROR = "Invalid username, password or code."
ENROL_WRONG_CODE = "That code is not right"
WELCOME = "Welcome, " + FIRST
TEXT_ROLES = ("label", "notification", "alert", "heading", "status")

# twofold keeps the test environment's G_DEBUG (fatal warnings); this driver
# must not die on a warning from libatspi.
APP_ENV = dict(os.environ)
os.environ.pop("G_DEBUG", None)


class Abort(Exception):
    pass


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, detail="", todo=None):
        self.n += 1
        line = "%s %d - %s" % ("ok" if cond else "not ok", self.n, name)
        if todo and not cond:
            line += " # TODO " + todo
        print(line, flush=True)
        if not cond:
            for d in str(detail).splitlines():
                print("#   " + d, flush=True)
            if not todo:
                self.failed += 1
        return cond

    def diag(self, text):
        for d in str(text).splitlines():
            print("# " + d, flush=True)


tap = Tap()


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


class A11yBus:
    """at-spi2-core's accessibility bus launcher, started by the test rather
    than activated by the private bus: the bus started before Xvfb, so what it
    activates would have no display (the registry daemon synthesises pointer
    events with XTest), and it would print to the test's TAP output. The
    launcher's bus and registry daemon stay in its process group."""

    LAUNCHER = "/usr/libexec/at-spi-bus-launcher"

    def __init__(self):
        self.proc = None

    def start(self):
        from gi.repository import Gio, GLib
        self.log = open(os.path.join(SHOTS, "at-spi.log"), "w")
        self.proc = subprocess.Popen([self.LAUNCHER, "--launch-immediately"],
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

        def address():
            if self.proc.poll() is not None:
                raise Abort("at-spi-bus-launcher exited with status %d" % self.proc.returncode)
            try:
                return bus.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                     "GetAddress", None, GLib.VariantType("(s)"),
                                     Gio.DBusCallFlags.NO_AUTO_START, 10000, None).unpack()[0]
            except GLib.Error:
                return None
        deadline = time.monotonic() + WAIT
        while not address():
            if time.monotonic() > deadline:
                raise Abort("timed out after %.0f s waiting for the accessibility bus" % WAIT)
            time.sleep(POLL)

    def stop(self):
        if self.proc is None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # The bus and the registry daemon go with their launcher.
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                try:
                    os.killpg(self.proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(POLL)
            else:
                continue
            break
        self.log.close()


def has_iface(a, query):
    try:
        getattr(a, query)()
        return True
    except NotImplementedError:
        return False


def text_of(a):
    try:
        t = a.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return a.name or ""


def describe(a):
    return "%s '%s'" % (a.getRoleName(), a.name)


class App:
    """One twofold process, its window and its accessible tree."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.proc = None
        self.log = None
        self.app = None
        self.frame = None
        self.window = None
        self.runs = 0
        self.misnamed = {}     # names read twice or with a mnemonic's "_"
        self.picks = []
        self._walking = False

        self.config = os.path.join(tmp, "config")
        os.makedirs(os.path.join(self.config, "glib-2.0", "settings"))
        lines = ["[org/twofold/Twofold]",
                 "store-path='%s'" % os.path.join(tmp, "store", "twofold.db")]
        if not KEYRING:
            lines.append("key-file='%s'" % os.path.join(tmp, "master.key"))
        with open(os.path.join(self.config, "glib-2.0", "settings", "keyfile"), "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self):
        env = dict(APP_ENV)
        # The shared test environment turns accessibility off (GTK_A11Y=test,
        # NO_AT_BRIDGE=1): twofold needs its real AT-SPI backend here.
        env.pop("GTK_A11Y", None)
        env["NO_AT_BRIDGE"] = "0"
        env["GSETTINGS_BACKEND"] = "keyfile"
        env["XDG_CONFIG_HOME"] = self.config
        env.setdefault("GSETTINGS_SCHEMA_DIR", os.path.join(BUILD_ROOT, "data"))
        self.runs += 1
        self.log = open(os.path.join(SHOTS, "twofold-%d.log" % self.runs), "w")
        self.proc = subprocess.Popen([EXE], env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.app = self.frame = self.window = None

    def check_alive(self):
        rc = self.proc.poll()
        if rc is not None:
            raise Abort("twofold exited with status %d" % rc)

    def poll(self, what, fn, timeout=None):
        """Calls fn until it returns something true, and returns that."""
        timeout = WAIT if timeout is None else timeout
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            self.check_alive()
            try:
                result = fn()
                if result:
                    return result
            except Abort:
                raise
            except Exception as e:   # a widget went away mid-walk, a D-Bus timeout…
                last_error = e
            if time.monotonic() > deadline:
                raise Abort("timed out after %.0f s waiting for %s%s" % (
                    timeout, what, " (last error: %s)" % last_error if last_error else ""))
            time.sleep(POLL)

    # -- the X window and the accessible application --

    def x_window(self):
        """(x, y, width, height) of twofold's top-level X window, or None."""
        for line in run(["xwininfo", "-root", "-children"]).stdout.splitlines():
            m = re.search(r'\("twofold" "[^"]*"\)\s+(\d+)x(\d+)[+-]\d+[+-]\d+\s+([+-]\d+)([+-]\d+)',
                          line)
            if m and int(m.group(1)) > 100:
                w, h, x, y = (int(g) for g in m.groups())
                return x, y, w, h
        return None

    def connect(self):
        self.window = self.poll("the X window", self.x_window)
        tap.diag("X window at %+d%+d, %dx%d" % self.window)
        # Only now (TESTING.md): pyatspi joins the accessibility bus.
        global pyatspi, Atspi
        import pyatspi
        from gi.repository import Atspi

        def find():
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                a = desktop.getChildAtIndex(i)
                if a is not None and a.get_process_id() == self.proc.pid:
                    return a
            return None
        app = self.poll("twofold on the accessibility bus", find)
        app.set_cache_mask(Atspi.Cache.NONE)
        self.frame = self.poll("the window's accessible frame", lambda: next(
            (c for c in app if c is not None and c.getRole() == pyatspi.ROLE_FRAME), None))
        self.app = app

    # -- finding things --

    def walk(self, root, prune=None):
        """root and its descendants; those of nodes named prune are skipped."""
        stack = [root]
        while stack:
            a = stack.pop()
            yield a
            if prune is not None and a is not root and a.name == prune:
                continue
            for i in range(a.childCount - 1, -1, -1):
                c = a.getChildAtIndex(i)
                if c is not None:
                    stack.append(c)

    def shown_page(self):
        """The page of the window's stack that is on screen, found by hit-testing
        points inside the window's border, in the margins every page has."""
        comp = self.frame.queryComponent()
        ext = comp.getExtents(pyatspi.WINDOW_COORDS)
        points = [(x, ext.y + int(ext.height * fy))
                  for x in (ext.x + 16, ext.x + ext.width - 16) for fy in (0.5, 0.35, 0.65, 0.8)]
        self.picks = []
        for x, y in points:
            hit = comp.getAccessibleAtPoint(x, y, pyatspi.WINDOW_COORDS)
            self.picks.append((x, y, hit))
            page = None
            while hit is not None and hit.getRole() != pyatspi.ROLE_FRAME:
                if hit.name == "GtkStackPage":
                    page = hit          # the outermost one: the window's stack
                hit = hit.parent
            if page is not None:
                return page
        # GTK 4.8 answers a hit test only with widgets a client has already
        # seen: walk the whole tree once (as a screen reader would) and retry.
        if not self._walking:
            self._walking = True
            try:
                for _ in self.walk(self.app):
                    pass
                return self.shown_page()
            finally:
                self._walking = False
        return None

    CONTROL_ROLES = ("push button", "toggle button", "check box", "list item", "text",
                     "password text", "entry")
    MNEMONIC = re.compile(r"(^|\s)_\w")

    def check_name(self, a, role):
        """Records a control whose name GTK 4.8 made by joining its accessible
        label and the label naming it ("Log In Log In"), or that still holds
        a mnemonic's underscore ("_Log In Log In")."""
        if role not in self.CONTROL_ROLES:
            return
        n = a.name or ""
        words = n.split(" ")
        half = len(words) // 2
        if (len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]) \
                or self.MNEMONIC.search(n):
            self.misnamed.setdefault("%s '%s'" % (role, n), n)

    def name_matches(self, a, name):
        n = a.name
        if n == name:
            return True
        if n == name + " " + name:
            # Found all the same, so that the flow goes on; check_name has
            # recorded it and the test fails at its end.
            return True
        return False

    def find_all(self, roles, name=None, root=None, pattern=None):
        root = root or self.shown_page()
        if root is None:
            return []
        found = []
        for a in self.walk(root):
            role = a.getRoleName()
            self.check_name(a, role)
            if role in roles and (name is None or self.name_matches(a, name)) \
                    and (pattern is None or pattern.search(text_of(a))):
                found.append(a)
        return found

    def find(self, roles, name, root=None):
        found = self.find_all(roles, name, root)
        return found[0] if len(found) == 1 else None

    def wait_for(self, roles, name, what=None):
        return self.poll(what or "%s '%s' on the shown page" % ("/".join(roles), name),
                         lambda: self.find(roles, name))

    def page_has(self, roles, name):
        return self.find(roles, name) is not None

    def text_on_page(self, needle, root=None, prune=None):
        """The text of a label (or alert) on the shown page that holds needle."""
        root = root or self.shown_page()
        if root is None:
            return None
        for a in self.walk(root, prune):
            if a.getRoleName() in TEXT_ROLES:
                t = text_of(a)
                if needle in t:
                    return t
        return None

    def toast(self, needle):
        """Toasts sit above the pages."""
        return self.text_on_page(needle, root=self.frame, prune="GtkStackPage")

    # -- acting --

    def type_into(self, name, text):
        # Entry rows are "text" ("password text" on newer GTK); only the
        # editable one counts.
        def one():
            found = [a for a in self.find_all(("text", "password text", "entry"), name)
                     if has_iface(a, "queryEditableText")]
            return found[0] if len(found) == 1 else None
        entry = self.poll("one editable '%s' on the shown page" % name, one)
        if not entry.queryEditableText().setTextContents(text):
            raise Abort("setTextContents refused on '%s'" % name)

    def button(self, name):
        return self.wait_for(("push button",), name)

    def press(self, name):
        b = self.button(name)
        self.poll("'%s' to be sensitive" % name,
                  lambda: b.getState().contains(pyatspi.STATE_SENSITIVE))
        b.queryAction().doAction(0)

    def click(self, a):
        """A left click in the middle of a widget, for widgets without action."""
        ext = a.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        pyatspi.Registry.generateMouseEvent(self.window[0] + ext.x + ext.width // 2,
                                            self.window[1] + ext.y + ext.height // 2,
                                            pyatspi.MOUSE_B1C)

    # -- screenshots and diagnostics --

    def screenshot(self, name):
        path = os.path.join(SHOTS, name + ".png")
        r = run(["import", "-window", "root", path])
        if r.returncode != 0:
            raise Abort("import failed: %s" % r.stderr)
        return path

    def dump(self):
        tap.diag("Accessible tree of twofold (role 'name' [states] text):")
        if self.frame is None:
            tap.diag("  (twofold never showed up on the accessibility bus)")
            return
        try:
            page = self.shown_page()
            tap.diag("  shown page: %s" % (describe(page[0]) if page is not None else None))
        except Exception as e:
            tap.diag("  shown page: error %s" % e)
        for x, y, hit in self.picks:
            chain = []
            while hit is not None and len(chain) < 30:
                chain.append(describe(hit))
                hit = hit.parent
            tap.diag("  at %d,%d: %s" % (x, y, " < ".join(chain) or "nothing"))

        def rec(a, depth):
            try:
                states = a.getState()
                flags = "".join(c for c, s in (("V", pyatspi.STATE_VISIBLE),
                                               ("S", pyatspi.STATE_SHOWING),
                                               ("E", pyatspi.STATE_SENSITIVE),
                                               ("F", pyatspi.STATE_FOCUSED),
                                               ("C", pyatspi.STATE_CHECKED))
                                if states.contains(s))
                t = text_of(a) if a.getRoleName() in TEXT_ROLES else ""
                tap.diag("  %s%s [%s]%s" % ("  " * depth, describe(a), flags,
                                            " %r" % t if t and t != a.name else ""))
                for i in range(a.childCount):
                    c = a.getChildAtIndex(i)
                    if c is not None:
                        rec(c, depth + 1)
            except Exception as e:
                tap.diag("  %s(error: %s)" % ("  " * depth, e))
        rec(self.app, 0)

    def quit(self):
        """Closes the window as a person does. Returns twofold's exit status,
        or None when it had to be killed."""
        if self.proc is None:
            return None
        if self.proc.poll() is None and self.frame is not None:
            try:
                close = self.poll("the window's Close button", lambda: [
                    a for a in self.walk(self.frame, prune="GtkStackPage")
                    if a.getRoleName() == "push button" and a.name == "Close"], timeout=20)
                close[0].queryAction().doAction(0)
                self.proc.wait(timeout=WAIT / 3)
            except Exception as e:
                tap.diag("closing the window: %s" % e)
        status = self.proc.poll()
        if status is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        with open(self.log.name, errors="replace") as f:
            output = f.read().strip()
        if output:
            tap.diag("twofold's output (run %d):\n%s" % (self.runs, output))
        self.frame = None
        return status


# -- codes --

def oathtool(secret, step, window=0):
    r = run(["oathtool", "--totp", "-b", "-N", "@%d" % (step * 30), "-w", str(window), secret])
    if r.returncode != 0:
        raise Abort("oathtool failed: %s" % r.stderr)
    return r.stdout.split()


class Authenticator:
    """The phone's authenticator app, minding the rules of the server: steps
    T-1..T+1 around the learned drift are accepted, each step once, and the
    drift follows the last step accepted. So: the code shown now, or when it
    was used, the next one. Codes are never typed in the last seconds of a
    step, so that twofold sees the same step as the test."""

    MARGIN = 10

    def __init__(self, secret):
        self.secret = secret
        self.last = None
        self.drift = 0

    def wrong_code(self):
        """A well-formed code that matches no step in twofold's ±20 search."""
        near = set(oathtool(self.secret, int(time.time()) // 30 - 22, 44))
        return next(c for c in ("000000", "123456", "999999", "314159", "271828", "161803")
                    if c not in near)

    def code(self, app):
        while True:
            app.poll("a TOTP step with %d s left" % self.MARGIN,
                     lambda: 30 - time.time() % 30 > self.MARGIN, timeout=31)
            now = int(time.time()) // 30
            lo, hi = now + self.drift - 1, now + self.drift + 1
            step = max(now, lo, self.last + 1 if self.last is not None else lo)
            if step <= hi:
                break
            tap.diag("every acceptable step is used; waiting for the next one")
            app.poll("the next TOTP step", lambda: int(time.time()) // 30 > now, timeout=31)
        self.last, self.drift = step, step - now
        tap.diag("code for step now%+d" % (step - now))
        return oathtool(self.secret, step)[0]


# -- the flow --

def read_qr_off_the_screen(app):
    def attempt():
        path = app.screenshot("03-enrol")
        r = run(["zbarimg", "--nodbus", "--raw", "-q", path])
        lines = [line for line in r.stdout.splitlines() if line.strip()]
        return lines if r.returncode == 0 and lines else None
    return app.poll("a QR code on the screen (zbarimg)", attempt)


def read_qr_widget(app, qr):
    """Crops the QR image's own extents out of the screenshot and reads that."""
    ext = qr.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    path = os.path.join(SHOTS, "03-enrol-qr.png")
    r = run(["convert", os.path.join(SHOTS, "03-enrol.png"), "-crop", "%dx%d+%d+%d" % (
        ext.width, ext.height, app.window[0] + ext.x, app.window[1] + ext.y), "+repage", path])
    if r.returncode != 0:
        return None, "convert: " + r.stderr
    r = run(["zbarimg", "--nodbus", "--raw", "-q", path])
    return r.stdout.strip(), "%dx%d at %+d%+d in the window" % (ext.width, ext.height, ext.x, ext.y)


def keyring_items():
    """Items of Twofold's master-key schema in the Secret Service."""
    from gi.repository import Gio, GLib
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    reply = bus.call_sync("org.freedesktop.secrets", "/org/freedesktop/secrets",
                          "org.freedesktop.Secret.Service", "SearchItems",
                          GLib.Variant("(a{ss})", ({"xdg:schema": "org.twofold.Twofold.MasterKey"},)),
                          GLib.VariantType("(aoao)"), Gio.DBusCallFlags.NONE, 10000, None)
    unlocked, locked = reply.unpack()
    return unlocked + locked


def log_in(app, code):
    app.wait_for(("push button",), "Log In", "the Log In page")
    app.type_into("Username", USERNAME)
    app.type_into("Password", PASSWORD)
    app.type_into("Code", code)
    app.press("Log In")


def register_and_enrol(app):
    app.press("Create Account")
    app.wait_for(("text",), "First name", "the Create Account page")
    for field, value in (("First name", FIRST), ("Last name", LAST), ("Username", USERNAME),
                         ("Email", EMAIL), ("Password", PASSWORD),
                         ("Confirm password", PASSWORD)):
        app.type_into(field, value)
    app.screenshot("02-register")
    app.press("Create Account")

    def enrol_page_or_error():
        if app.page_has(("push button",), "Confirm"):
            return "enrol"
        page = app.shown_page()
        for a in app.walk(page) if page is not None else ():
            if a.getRoleName() in ("notification", "alert") and text_of(a):
                return "error: " + text_of(a)
        return None
    where = app.poll("the enrolment page", enrol_page_or_error)
    if not tap.ok(where == "enrol", "Create Account leads to the enrolment page", where):
        raise Abort("no enrolment page")

    # The QR code, read off the screen as a phone would.
    qr = app.poll("the QR code image",
                  lambda: app.find(("image",), "QR code for your authenticator app"))
    # GTK 4.8 names a label by its text: the secret label is not called
    # "Secret key" (its accessible label in the template) but by the key.
    shown = app.poll("the secret key as text", lambda: [
        text_of(a) for a in app.find_all(("label",), pattern=SECRET_GROUPS)])
    payloads = read_qr_off_the_screen(app)
    if not tap.ok(len(payloads) == 1 and payloads[0].startswith("otpauth://totp/"),
                  "zbarimg reads one otpauth://totp/ URI off the screen", payloads):
        raise Abort("no otpauth URI")
    uri = urllib.parse.urlsplit(payloads[0])
    params = dict(urllib.parse.parse_qsl(uri.query))
    secret = params.get("secret", "")
    tap.ok(urllib.parse.unquote(uri.path.lstrip("/")) == "Twofold:" + USERNAME
           and params.get("issuer") == "Twofold", "the URI names the issuer and the account",
           payloads[0].replace(secret, "<secret>") if secret else payloads[0])
    tap.ok(re.fullmatch(r"[A-Z2-7]{32}", secret) is not None, "the secret is 160 bits of base32")
    tap.ok((params.get("algorithm", "SHA1"), params.get("digits", "6"), params.get("period", "30"))
           == ("SHA1", "6", "30"), "SHA1, 6 digits, 30 s")
    tap.ok(len(shown) == 1 and re.sub(r"\s", "", shown[0]) == secret,
           "the secret shown as text is the one in the QR code")
    cropped, where = read_qr_widget(app, qr)
    tap.ok(cropped == payloads[0], "the code read is the window's QR image", where)
    phone = Authenticator(secret)

    # A wrong code first, then the right one.
    app.type_into("Code", phone.wrong_code())
    app.press("Confirm")
    message = app.poll("the wrong-code error", lambda: app.text_on_page(ENROL_WRONG_CODE))
    app.screenshot("04-enrol-wrong-code")
    tap.ok(app.page_has(("push button",), "Confirm"),
           "a wrong code keeps the enrolment page and says: " + message)

    app.type_into("Code", phone.code(app))
    app.press("Confirm")
    check = app.wait_for(("check box",), "I have saved these codes", "the recovery codes page")
    codes = app.poll("the recovery codes", lambda: [
        text_of(a) for a in app.find_all(("label",), pattern=RECOVERY_CODE)])
    app.screenshot("05-recovery-codes")
    tap.ok(len(codes) == 10 and len(set(codes)) == 10,
           "the right code shows 10 distinct recovery codes (XXXXX-XXXXX)", codes)
    tap.ok(not app.button("Continue").getState().contains(pyatspi.STATE_SENSITIVE),
           "Continue is off until the box is ticked")
    # GTK 4.8 gives check buttons no AT-SPI action: tick it with the pointer.
    app.click(check)
    app.poll("the box to be ticked", lambda: check.getState().contains(pyatspi.STATE_CHECKED))
    app.screenshot("06-recovery-codes-ticked")
    app.press("Continue")
    return phone, codes


def flow(app):
    app.start()
    app.connect()
    tap.ok(True, "the window and its accessible tree appear")
    app.wait_for(("push button",), "Log In", "the Log In page")
    app.screenshot("01-login")
    tap.ok(True, "the store opens%s and the Log In page shows" %
           (" with its key in the keyring" if KEYRING else " with a key file"))

    phone, codes = register_and_enrol(app)

    # Continue leads to the Log In page, not Home: the account is ready and
    # the first log-in is a real one.
    app.wait_for(("push button",), "Log In", "the Log In page after the recovery codes")
    app.screenshot("07-ready-to-log-in")
    tap.ok(True, "ticking the box and Continue lead to the Log In page")

    log_in(app, phone.wrong_code())
    message = app.poll("the log-in error", lambda: app.text_on_page(GENERIC_LOGIN_ERROR))
    app.screenshot("08-login-wrong-code")
    tap.ok(app.page_has(("push button",), "Log In"),
           "a wrong code at log-in shows the generic error", message)

    log_in(app, phone.code(app))
    app.poll("Home ('%s')" % WELCOME, lambda: app.text_on_page(WELCOME))
    app.screenshot("09-home")
    tap.ok(True, "password and a fresh code reach Home: " + WELCOME)
    failed = app.text_on_page("failed attempt")
    tap.ok(failed is not None and failed.startswith("1 failed attempt"),
           "Home reports the failed attempt", failed)

    app.press("Log Out")
    app.wait_for(("push button",), "Log In", "the Log In page after logging out")
    app.poll("the 'Logged out' toast", lambda: app.toast("Logged out"))
    app.screenshot("10-logged-out")
    tap.ok(not app.text_on_page(WELCOME), "Log Out returns to the Log In page and says so")

    log_in(app, phone.code(app))
    app.poll("Home again", lambda: app.text_on_page(WELCOME))
    app.screenshot("11-home-again")
    tap.ok(True, "logging in again with the next code reaches Home")

    app.press("Log Out")
    log_in(app, codes[0])
    left = app.poll("'9 of 10 left' on Home", lambda: app.text_on_page("9 of 10 left"))
    app.screenshot("12-home-recovery-code")
    tap.ok(True, "a recovery code read off the screen logs in: " + left)
    toast = app.poll("the recovery-code toast", lambda: app.toast("You used a recovery code"))
    tap.ok("9 are left" in toast, "a toast says so: " + toast)

    if KEYRING:
        items = keyring_items()
        tap.ok(len(items) == 1, "the master key is one item in the keyring", items)
    files = sorted(os.path.relpath(os.path.join(d, f), app.tmp)
                   for d, _, fs in os.walk(app.tmp) for f in fs)
    expected = re.compile(r"^(config/.*|store/twofold\.db(-wal|-shm)?%s)$" %
                          ("" if KEYRING else "|master\\.key"))
    tap.ok(all(expected.match(f) for f in files), "only the store%s written" %
           (" is" if KEYRING else " and its key file are"), files)

    status = app.quit()
    tap.ok(status == 0, "closing the window ends the first twofold with status 0",
           "status %s" % status)

    # A second start finds the same store and key.
    app.start()
    app.connect()
    app.wait_for(("push button",), "Log In", "the Log In page of the second start")
    log_in(app, phone.code(app))
    app.poll("Home after a restart", lambda: app.text_on_page(WELCOME))
    app.screenshot("13-home-after-restart")
    tap.ok(True, "after a restart the same account logs in with the next code")

    # The session ends the program, as at log-out or shut-down: it quits as
    # Quit does, and the store is closed cleanly; a write-ahead log left
    # behind would make the next start check the whole store first.
    os.kill(app.proc.pid, signal.SIGTERM)
    try:
        status = app.proc.wait(timeout=WAIT / 3)
    except subprocess.TimeoutExpired:
        status = None
    tap.ok(status == 0, "SIGTERM ends twofold with status 0", "status %s" % status)
    left = sorted(f for f in os.listdir(os.path.join(app.tmp, "store")))
    tap.ok(left == ["twofold.db"], "the store is closed cleanly: no -wal or -shm left", left)

    # What the windows drew is recorded for the next start's fonts: font
    # descriptions and settings, nothing typed.
    record = os.path.join(os.environ["XDG_CACHE_HOME"], "twofold", "fonts")
    with open(record, errors="replace") as f:
        text = f.read()
    typed = [w for w in (USERNAME, PASSWORD, FIRST, LAST) if w.lower() in text.lower()]
    tap.ok("Descriptions=" in text and not typed,
           "the fonts drawn are recorded in $XDG_CACHE_HOME/twofold/fonts, with nothing typed",
           text)


def main(journey=flow):
    """Runs journey (test-gui-reset.py brings its own) with the app and the
    accessibility bus set up, and reports; returns the exit status."""
    shutil.rmtree(SHOTS, ignore_errors=True)
    os.makedirs(SHOTS)
    tmp = tempfile.mkdtemp(prefix="twofold-gui-")
    started = time.monotonic()
    app = None
    a11y = A11yBus()
    try:
        a11y.start()
        app = App(tmp)
        journey(app)
    except Exception as e:
        tap.ok(False, str(e) if isinstance(e, Abort) else "the test ran to its end",
               "" if isinstance(e, Abort) else traceback.format_exc())
        if app is not None and app.proc is not None and app.proc.poll() is None:
            try:
                app.screenshot("99-failure")
                app.dump()
            except Exception as de:
                tap.diag("no tree dump: %s" % de)
    finally:
        if app is not None:
            tap.ok(not app.misnamed, "each control's accessible name is read once, "
                   "without a mnemonic's underscore",
                   "\n".join("%s is misnamed" % k for k in sorted(app.misnamed)))
            if app.log is not None and not app.log.closed:
                status = app.quit()
                tap.ok(status == 0, "closing the window ends twofold with status 0",
                       "status %s" % status)
        a11y.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        tap.diag("%.0f s; screenshots in %s" % (time.monotonic() - started, SHOTS))
        print("1..%d" % tap.n, flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
