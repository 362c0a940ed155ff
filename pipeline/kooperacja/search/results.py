"""A search result in the contract's JSON shape, one home for `search --json` and
`GET /api/search` (a snippet's highlights become `<b>` there, built from its spans)."""

from __future__ import annotations

from typing import Any

from kooperacja.models import SearchResult


def search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "hits": [
            {
                "doc_id": h.doc_id,
                "title": h.title,
                "type": h.type,
                "partner": h.partner,
                "partners": list(h.partners),
                "year": h.year,
                "url": h.url,
                "status": h.status,
                "format": h.format or "other",  # filetypes.FORMATS (added beside the contract's)
                "score": round(h.score, 4),
                "pages": [
                    {
                        "page": p.page,
                        "snippet": p.excerpt.markup(),
                        "label": p.label,
                        "section": p.section,
                    }
                    for p in h.pages
                ],
            }
            for h in result.hits
        ],
        **({"suggestion": result.suggestion} if result.suggestion else {}),
        **({"notes": list(result.notes)} if result.notes else {}),
    }
