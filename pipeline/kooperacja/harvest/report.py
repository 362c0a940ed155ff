"""What one partner's crawl did: the counts, the failures and the documents, for the report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PartnerReport:
    pages_fetched: int = 0
    documents_new: int = 0
    documents_changed: int = 0
    documents_unchanged: int = 0
    documents_gone: int = 0
    not_modified: int = 0
    not_rechecked: int = 0  # archived documents reached through known links, not asked for
    skipped: int = 0
    document_bytes: int = 0
    errors: list[str] = field(default_factory=list)
    failed_links: list[dict] = field(default_factory=list)  # url, found_on, reason, nights…
    unreachable: str = ""  # why the partner's site could not be reached at all (no DNS, network)
    complete: bool = True
    new: list[str] = field(default_factory=list)  # doc ids, for the human report
    changed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "pages_fetched": self.pages_fetched,
            "documents_new": self.documents_new,
            "documents_changed": self.documents_changed,
            "documents_unchanged": self.documents_unchanged,
            "documents_gone": self.documents_gone,
            "not_modified": self.not_modified,
            "not_rechecked": self.not_rechecked,
            "skipped": self.skipped,
            "document_bytes": self.document_bytes,
            "complete": self.complete,
            "errors": list(self.errors),
            "failed_links": [dict(link) for link in self.failed_links],
            "unreachable": self.unreachable,
            "new": list(self.new),
            "changed": list(self.changed),
            "gone": list(self.gone),
        }
