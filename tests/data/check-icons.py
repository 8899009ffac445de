#!/usr/bin/python3
"""The app icons follow the GNOME HIG's technical rules.

Usage: check-icons.py SOURCE_ROOT

- the full-colour icon is a 128x128 canvas, the symbolic one 16x16;
- both are self-contained: no raster images, no text, no external links;
- the symbolic icon uses one colour and no stroke wider than 2px;
- they render with librsvg, what GTK draws them with, without a complaint;
- the desktop file's Icon= names them;
- data/icons/login.symbolic.png, the Log In page's 128 px image, is the
  symbolic icon rendered at 128 px in GTK's symbolic PNG encoding (the
  colour channels 0, the shape in the alpha channel, as
  gtk4-encode-symbolic-svg writes a one-colour icon). `check-icons.py
  SOURCE_ROOT --write-login-image` makes it again after the SVG changed.
(xmllint, run as its own test, checks they are well-formed XML.)
"""

import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
XLINK_HREF = '{http://www.w3.org/1999/xlink}href'
APP_ID = 'org.twofold.Twofold'
ICONS = {
    f'data/icons/hicolor/scalable/apps/{APP_ID}.svg': 128,
    f'data/icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg': 16,
}
SYMBOLIC = f'data/icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg'
LOGIN_IMAGE = 'data/icons/login.symbolic.png'
LOGIN_SIZE = 128
# How far a pixel's alpha may drift between librsvg versions.
ALPHA_TOLERANCE = 16
COLOUR_RE = re.compile(r'#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)')

errors = []


def style_properties(element):
    """Presentation attributes and style="" declarations, merged."""
    props = dict(element.attrib)
    for declaration in element.get('style', '').split(';'):
        if ':' in declaration:
            key, value = declaration.split(':', 1)
            props[key.strip()] = value.strip()
    return props


def check(root, relative, size):
    path = root / relative
    try:
        svg = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        errors.append(f'{relative}: {e}')
        return
    if svg.tag != SVG + 'svg':
        errors.append(f'{relative}: the root element is not an SVG <svg>')
        return
    if svg.get('width') != str(size) or svg.get('height') != str(size):
        errors.append(f'{relative}: width/height are not {size}')
    if svg.get('viewBox', '').split() != ['0', '0', str(size), str(size)]:
        errors.append(f'{relative}: viewBox is not "0 0 {size} {size}"')

    colours = set()
    for element in svg.iter():
        name = element.tag.replace(SVG, '')
        if name in ('image', 'text', 'foreignObject', 'script'):
            errors.append(f'{relative}: <{name}> has no place in an icon')
        href = element.get('href') or element.get(XLINK_HREF)
        if href is not None and not href.startswith('#'):
            errors.append(f'{relative}: external reference {href}')
        props = style_properties(element)
        for key in ('fill', 'stroke', 'stop-color', 'color'):
            colours.update(c.lower() for c in COLOUR_RE.findall(props.get(key, '')))
        if size == 16:
            stroke = props.get('stroke', 'none')
            width = props.get('stroke-width', '1')
            if stroke != 'none' and float(re.sub(r'px$', '', width)) > 2:
                errors.append(f'{relative}: a stroke {width} wide, more than 2px')
            if name in ('linearGradient', 'radialGradient'):
                errors.append(f'{relative}: a symbolic icon has no gradients')

    rsvg = shutil.which('rsvg-convert')
    if rsvg is None:
        errors.append('rsvg-convert not found (Debian package librsvg2-bin)')
    else:
        for scale in (1, 2):
            run = subprocess.run([rsvg, '--width', str(size * scale), str(path)],
                                 capture_output=True)
            if run.returncode != 0 or run.stderr or not run.stdout.startswith(b'\x89PNG'):
                errors.append(f'{relative}: rsvg-convert at {size * scale}px failed: '
                              f'{run.stderr.decode(errors="replace").strip()}')

    if size == 16 and len(colours) != 1:
        errors.append(f'{relative}: a symbolic icon uses one colour, not {sorted(colours)}')
    if size == 128 and len(colours) < 3:
        errors.append(f'{relative}: a full-colour icon with {len(colours)} colours')


def render_login_image(root, output):
    """The symbolic icon at LOGIN_SIZE, every shape black: RGB 0, alpha kept."""
    with tempfile.NamedTemporaryFile('w', suffix='.css') as css:
        css.write('* { fill: #000000 !important; }\n')
        css.flush()
        subprocess.run(['rsvg-convert', '--width', str(LOGIN_SIZE), '--height', str(LOGIN_SIZE),
                        '--stylesheet', css.name, '--output', str(output), str(root / SYMBOLIC)],
                       check=True)


def read_rgba_png(path):
    """(width, height, rows of RGBA bytes) of an 8-bit RGBA, non-interlaced PNG."""
    data = pathlib.Path(path).read_bytes()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, header = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', chunk)
        elif kind == b'IDAT':
            idat += chunk
    if header is None or header[2:] != (8, 6, 0, 0, 0):
        raise ValueError(f'not 8-bit RGBA without interlacing: {header}')
    width, height = header[:2]
    raw, stride, rows, previous = zlib.decompress(idat), width * 4, [], bytearray(width * 4)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - 4] if x >= 4 else 0
            b = previous[x]
            c = previous[x - 4] if x >= 4 else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xff
            elif kind == 2:
                line[x] = (line[x] + b) & 0xff
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xff
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xff
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def check_login_image(root):
    try:
        width, height, rows = read_rgba_png(root / LOGIN_IMAGE)
    except (OSError, ValueError, zlib.error) as e:
        errors.append(f'{LOGIN_IMAGE}: {e}')
        return
    if (width, height) != (LOGIN_SIZE, LOGIN_SIZE):
        errors.append(f'{LOGIN_IMAGE}: {width}x{height}, not {LOGIN_SIZE}x{LOGIN_SIZE}')
        return
    if any(row[i] for row in rows for i in range(len(row)) if i % 4 != 3):
        errors.append(f'{LOGIN_IMAGE}: colour channels are not 0 (not a symbolic PNG)')
    if shutil.which('rsvg-convert') is None:
        return  # Reported by check () already.
    with tempfile.TemporaryDirectory() as tmp:
        fresh = pathlib.Path(tmp) / 'fresh.png'
        render_login_image(root, fresh)
        _, _, expected = read_rgba_png(fresh)
    drift = max(abs(row[i] - want[i])
                for row, want in zip(rows, expected) for i in range(3, len(row), 4))
    if drift > ALPHA_TOLERANCE:
        errors.append(f'{LOGIN_IMAGE}: differs from {SYMBOLIC} rendered at {LOGIN_SIZE} px '
                      f'(alpha off by {drift}); make it again with --write-login-image')


def main():
    if len(sys.argv) == 3 and sys.argv[2] == '--write-login-image':
        root = pathlib.Path(sys.argv[1])
        render_login_image(root, root / LOGIN_IMAGE)
        return 0
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    for relative, size in ICONS.items():
        check(root, relative, size)
    check_login_image(root)

    desktop = (root / 'data' / f'{APP_ID}.desktop.in').read_text()
    if not re.search(rf'^Icon={re.escape(APP_ID)}$', desktop, re.MULTILINE):
        errors.append(f'data/{APP_ID}.desktop.in: Icon= is not {APP_ID}')

    for message in errors:
        print(message, file=sys.stderr)
    if errors:
        return 1
    print(f'{len(ICONS)} icons follow the rules; {LOGIN_IMAGE} matches {SYMBOLIC}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
