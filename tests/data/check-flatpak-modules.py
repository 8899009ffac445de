#!/usr/bin/python3
"""The Flatpak manifest builds exactly what meson needs.

Usage: check-flatpak-modules.py SOURCE_ROOT

Every dependency() of the build that the GNOME runtime lacks has a module in
flatpak/org.twofold.Twofold.json, every module stands for such a dependency
(or is twofold itself, last), and the manifest keeps its fixed shape:
runtime, command, sandbox permissions, sources pinned by tag *and* commit.
"""

import json
import pathlib
import re
import sys

# What org.gnome.Platform (GNOME 43 and later) already ships, by pkg-config
# name. Read from gnome-build-meta's elements/sdk-platform.bst and the
# freedesktop-sdk platform.bst it includes: GLib, GTK 4, libadwaita,
# libsecret and cairo come from GNOME's part, sqlite, curl and cracklib from
# freedesktop-sdk's. libsodium, libqrencode and libpwquality are in neither.
IN_RUNTIME = {
    'gio-2.0', 'gio-unix-2.0', 'glib-2.0', 'gobject-2.0', 'gmodule-2.0',
    'gtk4', 'libadwaita-1', 'libsecret-1', 'cairo',
    'sqlite3', 'libcurl',
    'threads', 'dl', 'm',
}

# pkg-config name -> manifest module that provides it.
MODULE_FOR_DEPENDENCY = {
    'libsodium': 'libsodium',
    'libqrencode': 'libqrencode',
    'pwquality': 'libpwquality',
}

# Modules allowed without a dependency() of their own: what a module above
# needs. cracklib is in the runtime today, but a manifest may build a newer one.
SUPPORTING_MODULES = {
    'cracklib': 'libpwquality',
}

FINISH_ARGS = {
    '--share=ipc',
    '--socket=fallback-x11',
    '--socket=wayland',
    '--device=dri',
    '--share=network',  # SMTP
}

# GTK 4.8 and libadwaita 1.2, the floor in STYLE.md, came with GNOME 43.
OLDEST_RUNTIME = 43

DEPENDENCY_RE = re.compile(r"""\bdependency\s*\(\s*['"]([^'"]+)['"]""")
PROJECT_RE = re.compile(r"""\bproject\s*\(\s*['"]([^'"]+)['"]""")
APP_ID_RE = re.compile(r"""^\s*app_id\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)
SHA1_RE = re.compile(r'^[0-9a-f]{40}$')

errors = []


def error(message):
    errors.append(message)


def build_files(root):
    """meson.build files of what the Flatpak builds (-Dtests=false)."""
    for path in sorted(root.rglob('meson.build')):
        parts = path.relative_to(root).parts
        if parts[0] == 'tests' or parts[0].startswith(('_', '.')) or 'subprojects' in parts:
            continue
        if (path.parent / 'meson-private').exists():
            continue  # a build directory somewhere unusual
        yield path


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    manifest_path = root / 'flatpak' / 'org.twofold.Twofold.json'

    top = (root / 'meson.build').read_text()
    project = PROJECT_RE.search(top).group(1)
    app_id = APP_ID_RE.search(top).group(1)

    dependencies = set()
    for path in build_files(root):
        dependencies.update(DEPENDENCY_RE.findall(path.read_text()))

    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as e:
        print(f'{manifest_path}: not JSON: {e}', file=sys.stderr)
        return 1

    # The application itself.
    if manifest.get('id', manifest.get('app-id')) != app_id:
        error(f'id is not {app_id}')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        error('runtime/sdk must be org.gnome.Platform/org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    if not version.isdigit() or int(version) < OLDEST_RUNTIME:
        error(f'runtime-version "{version}" is not a GNOME release >= {OLDEST_RUNTIME}')
    if manifest.get('command') != project:
        error(f'command is not {project}')

    finish_args = manifest.get('finish-args', [])
    if set(finish_args) != FINISH_ARGS or len(finish_args) != len(FINISH_ARGS):
        error(f'finish-args {sorted(finish_args)} are not exactly {sorted(FINISH_ARGS)}')
    if any('org.freedesktop.secrets' in arg for arg in finish_args):
        error('the keyring goes through the Secret portal: no --talk-name=org.freedesktop.secrets')

    modules = manifest.get('modules', [])
    if not modules or not isinstance(modules[-1], dict) or modules[-1].get('name') != project:
        error(f'the last module must be {project}')
        return report()
    app = modules[-1]
    if app.get('buildsystem') != 'meson':
        error(f'{project}: buildsystem is not meson')
    if '-Dtests=false' not in app.get('config-opts', []):
        error(f'{project}: config-opts lack -Dtests=false')
    if app.get('sources') != [{'type': 'dir', 'path': '..'}]:
        error(f'{project}: the one source must be {{"type": "dir", "path": ".."}}')

    # The libraries.
    names = []
    for module in modules[:-1]:
        if not isinstance(module, dict):
            error(f'module {module!r}: only inline modules, so this check sees them')
            continue
        name = module.get('name', '?')
        names.append(name)
        sources = module.get('sources', [])
        if not sources:
            error(f'{name}: no sources')
        for source in sources:
            if source.get('type') != 'git':
                error(f'{name}: source of type {source.get("type")}; pin a git tag and commit')
                continue
            if not source.get('url', '').startswith('https://'):
                error(f'{name}: git url is not https')
            if not source.get('tag'):
                error(f'{name}: git source without a tag')
            if not SHA1_RE.match(source.get('commit', '')):
                error(f'{name}: git source without a full commit id')
            if 'branch' in source:
                error(f'{name}: a branch moves; pin tag and commit only')

    if len(set(names)) != len(names):
        error(f'modules appear twice: {names}')

    needed = {}
    for dep in sorted(dependencies):
        if dep in IN_RUNTIME:
            continue
        module = MODULE_FOR_DEPENDENCY.get(dep)
        if module is None:
            error(f"dependency('{dep}') is neither in the GNOME runtime nor mapped to a module: "
                  f'add a module to the manifest and to MODULE_FOR_DEPENDENCY '
                  f'(or to IN_RUNTIME, with where the runtime gets it)')
            continue
        needed[module] = dep
        if module not in names:
            error(f"dependency('{dep}') is not in the GNOME runtime and no module '{module}' builds it")

    for name in names:
        if name in needed:
            continue
        if SUPPORTING_MODULES.get(name) in names:
            if names.index(name) > names.index(SUPPORTING_MODULES[name]):
                error(f'{name} must be built before {SUPPORTING_MODULES[name]}')
            continue
        error(f'module {name} matches no dependency() of the build')

    return report(len(names), len(dependencies))


def report(n_modules=0, n_dependencies=0):
    for message in errors:
        print(f'flatpak/org.twofold.Twofold.json: {message}', file=sys.stderr)
    if errors:
        return 1
    print(f'{n_modules} library modules for {n_dependencies} dependencies; manifest shape ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
