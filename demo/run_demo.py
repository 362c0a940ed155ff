"""`make demo`: build the offline partner sites, serve them on 127.0.0.1, run `kooperacja update`
against them, print example searches for a person, then stop the server. No network needed."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

DEMO = Path(__file__).resolve().parent
CONFIG = DEMO / "config.yaml"
SEARCHES = [
    ["rekomendacje"],
    ["asystent rodziny"],
    ["wspolpraca instytucji"],  # typed without Polish letters
    ["asystentów rodzinnych policja"],  # inflected
    ['"zespół interdyscyplinarny"', "--type", "recommendations"],
    ["dzielnicowi Wąbrzeźno"],  # a scanned protocol: its words exist only through OCR
    ["świetlica środowiskowa Lubicz"],  # a Word 97 .doc
    ["rotacja pracowników socjalnych"],  # a PowerPoint .pptx, found on its slide
]

# The recommendation book's numbered recommendations, as records: searched, and by addressee.
RECOMMENDATIONS = [["policja"], ["--addressee", "sąd"]]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> int:
    sys.path.insert(0, str(DEMO))
    from build_site import build_site  # the demo's own generator, beside this file

    build_site(DEMO / "site")
    port = urlsplit(yaml.safe_load(CONFIG.read_text())["partners"][0]["start_urls"][0]).port
    handler = functools.partial(QuietHandler, directory=str(DEMO / "site"))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        print(
            f"demo: cannot serve on 127.0.0.1:{port} ({exc.strerror}): stop what uses the port "
            "or change it in demo/config.yaml",
            file=sys.stderr,
        )
        return 1
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kooperacja = [sys.executable, "-m", "kooperacja", "--config", str(CONFIG)]
    try:
        print(
            f"== kooperacja update (partner sites served from demo/site on 127.0.0.1:{port})\n",
            flush=True,
        )
        code = subprocess.call([*kooperacja, "-v", "update"])
        if code not in (0, 1):
            return code
        found = yaml.safe_load((DEMO / "expected.yaml").read_text(encoding="utf-8"))["found"]
        for args in SEARCHES + [want["search"] for want in found]:
            print(f"\n== kooperacja search {' '.join(args)}\n", flush=True)
            subprocess.call([*kooperacja, "search", *args, "--limit", "3"])
        for args in RECOMMENDATIONS:
            print(f"\n== kooperacja recommendations {' '.join(args)}\n", flush=True)
            subprocess.call([*kooperacja, "recommendations", *args])
        print("\n== kooperacja status\n", flush=True)
        subprocess.call([*kooperacja, "status"])
    finally:
        server.shutdown()
        server.server_close()
    print(next_steps(), flush=True)
    return 0


def next_steps() -> str:
    """What to type next: the demo archive has its own config, so every command names it."""
    program = os.path.relpath(Path(sys.executable).parent / "kooperacja", DEMO.parent)
    config = os.path.relpath(CONFIG, DEMO.parent)
    return (
        f"\n== The demo archive is in demo/archive. From {DEMO.parent}, search and browse it:\n"
        f'  {program} --config {config} search "asystent rodziny"\n'
        f"  {program} --config {config} serve      (then open http://127.0.0.1:8080/)\n"
        f"  (or: export KOOPERACJA_CONFIG={config}, then {program} search ...)\n"
        f"  {program} --config {config} recommendations policja   "
        "(the numbered recommendations; --addressee Policja, --json)"
    )


if __name__ == "__main__":
    sys.exit(main())
