#!/usr/bin/python3
"""The app icons follow the GNOME HIG's technical rules.

Usage: check-icons.py SOURCE_ROOT

- the full-colour icon is a 128x128 canvas, the symbolic one 16x16;
- both are self-contained: no raster images, no text, no external links;
- the symbolic icon uses one colour and no stroke wider than 2px;
- they render with librsvg, what GTK draws them with, without a complaint;
- the desktop file's Icon= names them.
(xmllint, run as its own test, checks they are well-formed XML.)
"""

import pathlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
XLINK_HREF = '{http://www.w3.org/1999/xlink}href'
APP_ID = 'org.twofold.Twofold'
ICONS = {
    f'data/icons/hicolor/scalable/apps/{APP_ID}.svg': 128,
    f'data/icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg': 16,
}
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


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    for relative, size in ICONS.items():
        check(root, relative, size)

    desktop = (root / 'data' / f'{APP_ID}.desktop.in').read_text()
    if not re.search(rf'^Icon={re.escape(APP_ID)}$', desktop, re.MULTILINE):
        errors.append(f'data/{APP_ID}.desktop.in: Icon= is not {APP_ID}')

    for message in errors:
        print(message, file=sys.stderr)
    if errors:
        return 1
    print(f'{len(ICONS)} icons follow the rules')
    return 0


if __name__ == '__main__':
    sys.exit(main())
