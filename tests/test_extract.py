"""Extraction on real PDFs: Polish acts, scans without a text layer, and tricky files."""

from __future__ import annotations

import os
import time
from collections import deque
from dataclasses import dataclass

import pytest

from kooperacja.extract.extraction import extract_file, page_sections, recommendation_headings
from kooperacja.extract.workers import MALLOC_TUNABLES, Job, Limits, extract_all, run_bounded
from tests.conftest import TESTDATA
from tests.pdfgen import bomb_pdf, make_pdf

PL = TESTDATA / "pdfs" / "pl"
TRICKY = TESTDATA / "pdfs" / "tricky"
SCANNED = TESTDATA / "pdfs" / "pl_scanned"


def test_polish_act_page_by_page():
    result = extract_file(PL / "dzu_2020_poz17.pdf", "application/pdf")
    assert result.text_status == "ok" and result.page_count == 92 == len(result.pages)
    assert [p.number for p in result.pages] == list(range(1, 93))
    text = " ".join(p.text for p in result.pages)
    assert "oświatowych" in text and "ustawy" in text
    assert result.metadata  # producer, dates


def test_civil_code_242_pages():
    result = extract_file(PL / "kodeks_cywilny_isap.pdf", "application/pdf")
    assert result.text_status == "ok" and len(result.pages) == 242
    assert any("Kodeks cywilny" in p.text for p in result.pages[:2])


@pytest.mark.parametrize("path", sorted(SCANNED.glob("*.pdf")), ids=lambda p: p.name)
def test_scans_have_no_text_layer(path):
    result = extract_file(path, "application/pdf")
    assert result.text_status == "no_text_layer"
    assert "OCR" in result.error and result.page_count >= 3


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("pypdf-sample_libreoffice-writer-password.pdf", "encrypted"),
        ("pypdf-res_encryption_r4-aes-user-password.pdf", "encrypted"),
        ("pypdf-res_crazyones-encrypted-256.pdf", "encrypted"),
        ("pypdf-res_encryption_r2-empty-password.pdf", "ok"),
        ("pypdf-res_encryption_r6-empty-password.pdf", "ok"),
        ("pypdf-sample_imagemagick-CCITTFaxDecode.pdf", "no_text_layer"),
        ("pypdf-sample_pdflatex-4-pages.pdf", "ok"),
    ],
)
def test_tricky_files_end_with_a_clear_status(name, status):
    result = extract_file(TRICKY / name, "application/pdf")
    assert result.text_status == status, result.error
    if status != "ok":
        assert result.error


def test_every_tricky_file_ends_with_a_status_in_bounded_workers():
    files = sorted(TRICKY.glob("*.pdf"))
    jobs = [Job(p.name, p, "application/pdf") for p in files]
    results = dict((job.key, r) for job, r in extract_all(jobs, Limits(seconds=60, workers=2)))
    assert set(results) == {p.name for p in files}
    assert {r.text_status for r in results.values()} <= {
        "ok",
        "no_text_layer",
        "encrypted",
        "failed",
    }
    assert all(r.error for r in results.values() if r.text_status != "ok")


def test_truncated_and_garbage_pdfs_fail_cleanly(tmp_path):
    whole = make_pdf(["Sprawozdanie z pilotażu modelu"] * 3)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[:300])
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    for path in (cut, junk):
        result = extract_file(path, "application/pdf")
        assert result.text_status in ("failed", "no_text_layer"), path
        assert result.error


def test_a_decompression_bomb_is_stopped_and_the_batch_goes_on(tmp_path):
    pdf = tmp_path / "ok.pdf"
    pdf.write_bytes(make_pdf(["Rodzina i asystent rodziny"]))
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(150))  # ~450 KB on disk; seconds and gigabytes to extract
    jobs = [Job("slow", bomb, "application/pdf"), Job("ok", pdf, "application/pdf")]
    limits = Limits(seconds=4, workers=1, memory_mb=400)
    results = {job.key: r for job, r in extract_all(jobs, limits)}
    assert results["ok"].text_status == "ok"
    assert results["slow"].text_status == "failed"
    assert "longer than" in results["slow"].error or "memory" in results["slow"].error


def test_sections_from_recommendations_and_outline():
    pages = [
        "Spis treści\nRekomendacja 1. Koordynator 3\nRekomendacja 2. Policja 4",
        "Wstęp",
        "Rekomendacja 1. Koordynator kooperacji\ntreść",
        "dalsza treść",
        "x\nRekomendacja 2. Asystent rodziny i policja\ny",
    ]
    sections = page_sections(pages, [(1, "1. Wprowadzenie")])
    assert sections == [
        "",
        "1. Wprowadzenie",
        "Rekomendacja 1. Koordynator kooperacji",
        "Rekomendacja 1. Koordynator kooperacji",
        "Rekomendacja 2. Asystent rodziny i policja",
    ]
    assert recommendation_headings("Rekomendacja nr 4: Policja") == ["Rekomendacja nr 4: Policja"]


def test_a_heading_wrapped_onto_the_next_line_is_kept_whole(tmp_path):
    heading = "Rekomendacja 24. Współpraca asystentów rodziny z dzielnicowymi Policji"
    body = (
        "Adresaci: ośrodki pomocy społecznej zatrudniające asystentów rodziny.\n"
        "Asystent rodziny pracuje z rodziną w jej domu, często kilka razy w tygodniu."
    )
    short = "Rekomendacja 25. Kuratorzy sądowi\nKuratorzy znają rodziny"  # a whole line, then text
    path = tmp_path / "ksiega.pdf"
    path.write_bytes(make_pdf([f"{heading}\n{body}", short], heading_pt=15))
    result = extract_file(path, "application/pdf")
    first = result.pages[0].text.splitlines()
    assert first[0].endswith("dzielnicowymi") and first[1] == "Policji"  # it did wrap
    assert result.pages[0].section == heading
    assert result.pages[1].section == "Rekomendacja 25. Kuratorzy sądowi"


def test_chapters_of_a_real_act_are_sections():
    from kooperacja.extract.extraction import chapter_headings, extract_pdf

    act = TESTDATA / "pdfs" / "pl" / "dzu_2020_poz19.pdf"
    if not act.exists():
        pytest.skip(f"{act} missing (../shared/testdata)")
    sections = {p.number: p.section for p in extract_pdf(act).pages}
    assert sections[5] == "DZIAŁ I Część ogólna"  # "Rozdział 1" follows on the same page
    assert sections[6] == "Rozdział 1 Przepisy wstępne"
    assert sections[17] == "Rozdział 4 Wykroczenia skarbowe"
    assert sections[56] == "Rozdział 24 Wykonywanie środków karnych"
    assert chapter_headings("Spis treści\nRozdział 1\nPrzepisy ogólne 5\n") == []
    assert chapter_headings("Rozdział IV\nWady oświadczenia woli\nArt. 82.") == [
        "Rozdział IV Wady oświadczenia woli"
    ]


@dataclass(frozen=True)
class _Environment:
    """A task answering with the malloc settings its worker process started with."""

    key: str

    def run(self, seconds: float) -> str | None:
        return os.environ.get("GLIBC_TUNABLES")

    def failed(self, reason: str) -> str:
        return reason


def test_workers_start_with_the_larger_malloc_cache_and_the_parent_keeps_its_environment():
    before = os.environ.get("GLIBC_TUNABLES")
    done = dict(run_bounded(deque([_Environment("a"), _Environment("b")]), Limits(workers=2)))
    assert set(done.values()) == {before or MALLOC_TUNABLES}  # an administrator's own kept
    assert os.environ.get("GLIBC_TUNABLES") == before


@dataclass(frozen=True)
class _Nap:
    """A task that takes `seconds` of its worker's time."""

    key: str
    seconds: float

    def run(self, seconds: float) -> str:
        time.sleep(self.seconds)
        return "done"

    def failed(self, reason: str) -> str:
        return reason


def test_a_task_waiting_for_its_worker_is_not_charged_the_wait():
    """Each worker has a task waiting behind the one it runs; the time limit counts from when
    the waiting task can start: three 1.5-second tasks in a row on one worker all end under a
    2.6-second limit, though the second is handed out 1.5 seconds before it starts."""
    tasks = deque(_Nap(str(n), 1.5) for n in range(3))
    done = {task.key: result for task, result in run_bounded(tasks, Limits(2.6, workers=1))}
    assert done == {"0": "done", "1": "done", "2": "done"}
