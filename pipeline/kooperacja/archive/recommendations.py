"""The numbered recommendations as records (the contract's `recommendations --json` shape), with
the document each is in and the same recommendation in the book's other editions.

An edition is a document of the same type and title as another (or one that `replaces` it): a
recommendation's `previous` is the record with its number in the next older edition, `next` the
one in the next newer. Worked out when read, so a title a curator corrects links editions at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kooperacja.archive.catalog import Catalog
from kooperacja.archive.rows import Document, RecommendationRow
from kooperacja.text import fold_key


def heading(number: int, title: str) -> str:
    """How the document heads it: "Rekomendacja 24. Współpraca asystentów rodziny …"."""
    return f"Rekomendacja {number}. {title}" if title else f"Rekomendacja {number}"


def recommendation_records(catalog: Catalog, kind: str | None = None) -> list[dict[str, Any]]:
    """Every recommendation (addressed to `kind`, a models.ADDRESSEE_KINDS name, when given), by
    document in the order they were first seen, then in page order."""
    every = catalog.recommendation_rows()
    rows = every if kind is None else catalog.recommendation_rows(kind)
    books = _Books(catalog, every)
    return [books.record(row) for row in rows]


def recommendations_in(
    archive_dir: Path, kind: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The recommendations of the archive (see `recommendation_records`), and how many documents
    with text have not had theirs read yet (an archive from before they were: the next
    `extract` or `update` reads them)."""
    with Catalog(archive_dir, create=False) as catalog:
        return recommendation_records(catalog, kind), catalog.unread_recommendations()


def recommendation_record(catalog: Catalog, rec_id: str) -> dict[str, Any] | None:
    """One recommendation by its id (`<doc_id>-<number>`); None when there is none."""
    row = catalog.recommendation_row(rec_id)
    if row is None:
        return None
    return _Books(catalog, catalog.recommendation_rows()).record(row)


def addressed_alike(
    records: Iterable[Mapping[str, Any]], record: Mapping[str, Any]
) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """For each kind of institution `record` is addressed to, the other recommendations
    addressed to it too, in their order ("inne", what no kind names, links nothing)."""
    others = [r for r in records if r["id"] != record["id"]]
    groups = [
        (kind, [r for r in others if kind in r["addressee_kinds"]])
        for kind in record["addressee_kinds"]
        if kind != "inne"
    ]
    return [(kind, found) for kind, found in groups if found]


class _Books:
    """The documents holding recommendations, their titles and editions (one per listing)."""

    def __init__(self, catalog: Catalog, rows: list[RecommendationRow]):
        self.docs: dict[str, Document] = {}
        self.numbers: dict[str, set[int]] = {}
        for row in rows:
            if row.sha256 not in self.docs:
                doc = catalog.document(row.sha256)
                if doc is None:
                    continue
                self.docs[row.sha256] = doc
            self.numbers.setdefault(row.sha256, set()).add(row.number)
        self.older, self.newer = self._editions()

    def title(self, doc: Document) -> str:
        return doc.tag_values.get("title") or doc.html_title or doc.filename or doc.doc_id

    def _editions(self) -> tuple[dict[str, str], dict[str, str]]:
        """Each document's next older and next newer edition (by year, then first seen)."""
        group: dict[str, str] = {}
        for sha, doc in self.docs.items():
            group[sha] = f"{doc.tag_values.get('type', '')}|{fold_key(self.title(doc))}"
        for sha, doc in self.docs.items():  # a file replacing another at its address
            if doc.replaces in group:
                old = group[doc.replaces]
                group = {s: group[sha] if g == old else g for s, g in group.items()}
        older: dict[str, str] = {}
        newer: dict[str, str] = {}
        for key in set(group.values()):
            members = sorted(
                (s for s, g in group.items() if g == key),
                key=lambda s: (self.docs[s].tag_values.get("year") or 0, self.docs[s].first_seen),
            )
            for before, after in zip(members, members[1:], strict=False):
                older[after], newer[before] = before, after
        return older, newer

    def _same_number(self, sha: str | None, number: int) -> str | None:
        if sha is None or number not in self.numbers.get(sha, ()):
            return None
        return f"{self.docs[sha].doc_id}-{number}"

    def record(self, row: RecommendationRow) -> dict[str, Any]:
        doc = self.docs.get(row.sha256)
        tags = doc.tag_values if doc else {}
        return {
            "id": row.id,
            "number": row.number,
            "title": row.title,
            "heading": heading(row.number, row.title),
            "addressees": row.addressee_list,
            "addressee_kinds": row.kind_list,
            "doc_id": row.sha256[:12],
            "page": row.page,
            "page_label": row.page_label,
            "last_page": row.last_page,
            "text": row.text,
            "status": doc.status if doc else "online",
            "book": self.title(doc) if doc else row.sha256[:12],
            "type": tags.get("type", "other"),
            "partners": list(tags.get("partners") or []),
            "year": tags.get("year"),
            "media_type": doc.media_type if doc else "application/pdf",
            "previous": self._same_number(self.older.get(row.sha256), row.number),
            "next": self._same_number(self.newer.get(row.sha256), row.number),
        }
