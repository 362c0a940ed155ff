"""`make screenshot`: the README's pictures of the web page, taken from the demo archive (run
`make demo` first) by Debian's headless Chromium through Selenium, as the browser tests drive it.

Writes docs/web-results.png (the results for "asystent rodziny policja" at 1366 px) and
docs/web-document.png (the first hit's document page, leading with its page's picture).
`--config PATH` and `--out DIR` take them of another archive, into another folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "demo" / "config.yaml"
DOCS = ROOT / "docs"
QUERY = "asystent rodziny policja"
SIZE = (1366, 900)
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic", "--hide-scrollbars", "--force-device-scale-factor=1",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(config: Path, cache: Path) -> tuple[subprocess.Popen, str]:
    """`kooperacja serve` over the config's archive on a free port, once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kooperacja", "--config", str(config), "serve", "--port",
         str(port), "--workers", "1", "--preview-cache", str(cache)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"screenshot: kooperacja serve stopped (exit {proc.returncode})")
        try:
            urllib.request.urlopen(base + "/static/style.css", timeout=1).close()
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("screenshot: kooperacja serve did not answer within 30 s")


def browser(profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    # The viewport itself, not the window with its frame, is SIZE.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": SIZE[0], "height": SIZE[1], "deviceScaleFactor": 1, "mobile": False,
    })  # fmt: skip
    return driver


def pictures_loaded(driver) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if driver.execute_script(
            "return [...document.images].every(i => i.complete && i.naturalWidth > 0)"
        ):
            return
        time.sleep(0.2)
    raise SystemExit("screenshot: a picture of a page did not load within 60 s")


def main(argv: list[str]) -> int:
    import argparse
    from urllib.parse import urlencode

    from selenium.webdriver.common.by import By

    from kooperacja.config import load_config

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args(argv)
    archive = load_config(args.config).archive_dir
    if not (archive / "catalog.sqlite").exists():
        print(f"screenshot: no archive in {archive}: run 'make demo' first", file=sys.stderr)
        return 2
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            print(f"screenshot: {path} missing: run scripts/sysdeps.sh", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="kooperacja-screenshot-") as tmp:
        proc, base = serve(args.config, Path(tmp) / "previews")
        driver = browser(str(Path(tmp) / "chromium"))
        try:
            driver.get(f"{base}/?{urlencode({'q': QUERY})}")
            driver.find_element(By.ID, "results-heading")
            driver.save_screenshot(str(args.out / "web-results.png"))
            first = driver.find_element(By.CSS_SELECTOR, "li.hit h3 a").get_attribute("href")
            driver.get(first)
            pictures_loaded(driver)
            driver.save_screenshot(str(args.out / "web-document.png"))
        finally:
            driver.quit()
            proc.terminate()
            proc.wait(timeout=10)
    for name in ("web-results.png", "web-document.png"):
        print(f"screenshot: {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
