"""The document page's pictures of pages (issue 18): what the first picture of a page costs, and
what a kept one costs against the server's stylesheet, an archived PDF and a document page, all
from one `kooperacja serve` (one process) in the same run. Needs an archive: `make demo`.

    .venv/bin/python bench/previews.py [--config demo/config.yaml] [--repeats 5] [--json F]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 2)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "demo" / "config.yaml")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--per-repeat", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshot import serve

    from kooperacja.config import load_config
    from kooperacja.exports.export import all_records

    pdfs = [r for r in all_records(load_config(args.config))
            if r["media_type"] == "application/pdf" and (r["pages"] or 0) >= 2]  # fmt: skip
    if not pdfs:
        print("previews: no PDF of two pages or more in the archive: run 'make demo'")
        return 2
    with tempfile.TemporaryDirectory(prefix="kooperacja-previews-") as tmp:
        proc, base = serve(args.config, Path(tmp) / "previews")
        session = requests.Session()
        try:
            first = []
            for record in pdfs:  # each PDF's page 2, drawn for the first time
                started = time.perf_counter()
                answer = session.get(f"{base}/doc/{record['doc_id']}/page/2/preview.png")
                first.append(time.perf_counter() - started)
                assert answer.status_code == 200, (record["doc_id"], answer.status_code)
            doc_id = pdfs[0]["doc_id"]
            urls = {
                "stylesheet": f"{base}/static/style.css",
                "picture, kept": f"{base}/doc/{doc_id}/page/2/preview.png",
                "archived PDF": f"{base}/file/{doc_id}/{doc_id}.pdf",
                "document page": f"{base}/doc/{doc_id}",
            }
            times: dict[str, list[float]] = {name: [] for name in urls}
            for _ in range(args.repeats):  # interleaved, so the load falls on all alike
                for name, url in urls.items():
                    for _ in range(args.per_repeat):
                        started = time.perf_counter()
                        session.get(url).raise_for_status()
                        times[name].append(time.perf_counter() - started)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    reference = statistics.median(times["stylesheet"])
    result = {
        "pdfs": len(pdfs),
        "first_picture_ms": median_ms(first),
        "median_ms": {name: median_ms(t) for name, t in times.items()},
        "ratio_to_stylesheet": {
            name: round(statistics.median(t) / reference, 2) for name, t in times.items()
        },
    }
    print(f"first picture of a page (median of {len(pdfs)} PDFs): {result['first_picture_ms']} ms")
    for name in urls:
        print(f"{name:14s} median {result['median_ms'][name]:7.2f} ms "
              f"= {result['ratio_to_stylesheet'][name]:5.2f}x the stylesheet")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
