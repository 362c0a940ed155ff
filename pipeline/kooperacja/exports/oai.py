"""OAI-PMH 2.0 answers over the catalogue's records, for Poland's digital libraries: the six
verbs, `oai_dc` (the Dublin Core mapping of fields.py, refinements given as their elements),
sets per partner and per type, datestamps, stateless resumption tokens and the protocol's
errors. Pure: the route (web/oai.py) reads the request and the catalogue and sends the bytes."""

from __future__ import annotations

import base64
import binascii
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from kooperacja.exports.fields import (
    DEFAULT_TITLE,
    DUBLIN_CORE,
    filter_records,
    rfc3339,
    strip_illegal,
    type_label,
)
from kooperacja.models import DOCUMENT_TYPES

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_XSD = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_XSD = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
PREFIX = "oai_dc"
PLACEHOLDER_EMAIL = "archiwum@example.invalid"  # until `oai.admin_email` is set (README)
TOKEN_VERSION = "k1"
# verb -> (required arguments, optional arguments); resumptionToken is exclusive (3.5).
VERBS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ("resumptionToken",)),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
}
# Fields given in oai_dc, in this order; each under its term in fields.DUBLIN_CORE, a DCMI
# refinement (dcterms:) under the element it refines, as simple Dublin Core requires.
OAI_DC_FIELDS = (
    "title", "partner", "partners", "type", "date", "language", "region", "media_type", "pages",
    "doc_id", "sha256", "url", "source_urls",
)  # fmt: skip
REFINES = {
    "dcterms:spatial": "coverage",
    "dcterms:issued": "date",
    "dcterms:extent": "format",
    "dcterms:identifier": "identifier",
    "dcterms:hasVersion": "relation",
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", re.ASCII)
_PREFIX_SYNTAX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+", re.ASCII)  # as OAI-PMH.xsd has them
_SET_SYNTAX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*", re.ASCII)


class OaiError(Exception):
    """A protocol error: its code (badArgument, badVerb, …) and a message for the harvester."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Repository:
    base_url: str  # this endpoint's address, as Identify and every answer give it
    repository_id: str  # identifiers are oai:<repository_id>:<doc_id>
    admin_email: str
    page_size: int
    partner_names: Mapping[str, str]
    doc_url: Callable[[str], str]  # a document's page on the web, from its doc_id
    name: str = DEFAULT_TITLE


@dataclass(frozen=True)
class Item:
    """A record as a harvester sees it: its datestamp (YYYY-MM-DDThh:mm:ssZ) and its sets."""

    record: Mapping
    datestamp: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.datestamp, str(self.record["doc_id"]))


@dataclass(frozen=True)
class Listing:
    """What a List verb asks for; a resumption token carries it with the position reached."""

    verb: str
    prefix: str = PREFIX
    set_spec: str = ""
    start: str = ""  # from, as given (day or second granularity)
    until: str = ""
    sent: int = 0  # records already sent (the next answer's cursor)
    after: tuple[str, str] = ("", "")  # the key of the last record sent


def items_of(pairs: Sequence[tuple[Mapping, str]]) -> list[Item]:
    """Records with their catalogue moments, in the order lists page through them."""
    items = [Item(record, rfc3339(stamp) or "1970-01-01T00:00:00Z") for record, stamp in pairs]
    return sorted(items, key=lambda i: i.key)


def respond(
    args: Mapping[str, Sequence[str]],
    items: Sequence[Item],
    repo: Repository,
    now: datetime | None = None,
) -> bytes:
    """The answer to one request (each argument name to its values, as given), as bytes."""
    now = now or datetime.now(UTC)
    location = {f"{{{XSI_NS}}}schemaLocation": f"{OAI_NS} {OAI_XSD}"}
    root = ET.Element(f"{{{OAI_NS}}}OAI-PMH", location)
    _sub(root, "responseDate", now.strftime("%Y-%m-%dT%H:%M:%SZ"))
    request = _sub(root, "request", repo.base_url)
    try:
        verb, given = _checked(args)
        # The arguments are echoed once known to be valid (3.6).
        for name, value in {"verb": verb, **given}.items():
            request.set(name, value)
        body = _ANSWERS[verb](given, items, repo)
    except OaiError as exc:
        if exc.code in ("badVerb", "badArgument"):
            request.attrib.clear()
        error = _sub(root, "error", str(exc))
        error.set("code", exc.code)
    else:
        root.append(body)
    ET.register_namespace("", OAI_NS)
    ET.register_namespace(PREFIX, OAI_DC_NS)
    ET.register_namespace("dc", DC_NS)
    ET.register_namespace("xsi", XSI_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _sub(parent: ET.Element, name: str, text: str | None = None, ns: str = OAI_NS) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        element.text = strip_illegal(text)[0]
    return element


def _checked(args: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    verbs = list(args.get("verb", ()))
    if len(verbs) != 1 or verbs[0] not in VERBS:
        what = "no verb" if not verbs else "more than one verb" if len(verbs) > 1 else "verb"
        raise OaiError("badVerb", f"{what}{' ' + repr(verbs[0]) if len(verbs) == 1 else ''}: "
                       f"expected one of {', '.join(VERBS)}")  # fmt: skip
    verb = verbs[0]
    required, optional = VERBS[verb]
    given: dict[str, str] = {}
    for name, values in args.items():
        if name == "verb":
            continue
        if name not in required and name not in optional:
            raise OaiError("badArgument", f"{name}: not an argument of {verb}")
        if len(values) != 1:
            raise OaiError("badArgument", f"{name}: given more than once")
        if strip_illegal(values[0])[1]:
            raise OaiError("badArgument", f"{name}: holds characters XML cannot carry")
        given[name] = values[0]
    for name, syntax in (("metadataPrefix", _PREFIX_SYNTAX), ("set", _SET_SYNTAX)):
        if name in given and not syntax.fullmatch(given[name]):
            raise OaiError("badArgument", f"{name}: not of the protocol's syntax")
    if "resumptionToken" in given:
        if len(given) > 1:
            raise OaiError("badArgument", "resumptionToken: must be the only argument besides verb")
        return verb, given
    missing = [name for name in required if name not in given]
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}")
    for name in ("from", "until"):
        if name in given and _moment(given[name], name == "until") is None:
            raise OaiError("badArgument", f"{name}: expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")
    if "from" in given and "until" in given:
        if len(given["from"]) != len(given["until"]):
            raise OaiError("badArgument", "from and until: not of the same granularity")
        if _moment(given["from"], False) > _moment(given["until"], True):  # type: ignore[operator]
            raise OaiError("badArgument", "from is later than until")
    return verb, given


def _moment(value: str, end: bool) -> str | None:
    """A from/until argument as a datestamp to compare with (a day spans its every second)."""
    if _SECOND.fullmatch(value):
        fmt, text = "%Y-%m-%dT%H:%M:%SZ", value
    elif _DAY.fullmatch(value):
        fmt, text = "%Y-%m-%d", value
    else:
        return None
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return None
    return value if len(value) > 10 else value + ("T23:59:59Z" if end else "T00:00:00Z")


# --- the verbs ----------------------------------------------------------------------------------


def _identify(given: Mapping[str, str], items: Sequence[Item], repo: Repository) -> ET.Element:
    body = ET.Element(f"{{{OAI_NS}}}Identify")
    earliest = min((i.datestamp for i in items), default="1970-01-01T00:00:00Z")
    for name, value in (
        ("repositoryName", repo.name),
        ("baseURL", repo.base_url),
        ("protocolVersion", "2.0"),
        ("adminEmail", repo.admin_email or PLACEHOLDER_EMAIL),
        ("earliestDatestamp", earliest),
        # Nothing is ever deleted: a document gone from its site stays in the archive, and
        # its record stays as it was.
        ("deletedRecord", "no"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ):
        _sub(body, name, value)
    return body


def _formats(given: Mapping[str, str], items: Sequence[Item], repo: Repository) -> ET.Element:
    if "identifier" in given:
        _find(given["identifier"], items, repo)
    body = ET.Element(f"{{{OAI_NS}}}ListMetadataFormats")
    fmt = _sub(body, "metadataFormat")
    _sub(fmt, "metadataPrefix", PREFIX)
    _sub(fmt, "schema", OAI_DC_XSD)
    _sub(fmt, "metadataNamespace", OAI_DC_NS)
    return body


def sets_of(repo: Repository) -> list[tuple[str, str]]:
    """(setSpec, setName): the two kinds, then one per partner and one per document type."""
    return [
        ("partner", "Partnerzy projektu"),
        *((f"partner:{pid}", name) for pid, name in repo.partner_names.items()),
        ("type", "Rodzaje dokumentów"),
        *((f"type:{code}", type_label(code, "pl")) for code in DOCUMENT_TYPES),
    ]


def _sets(given: Mapping[str, str], items: Sequence[Item], repo: Repository) -> ET.Element:
    if "resumptionToken" in given:  # every set is listed in one answer: no token is ours
        raise OaiError("badResumptionToken", "ListSets gives every set at once: no token is valid")
    body = ET.Element(f"{{{OAI_NS}}}ListSets")
    for spec, name in sets_of(repo):
        element = _sub(body, "set")
        _sub(element, "setSpec", spec)
        _sub(element, "setName", name)
    return body


def _get_record(given: Mapping[str, str], items: Sequence[Item], repo: Repository) -> ET.Element:
    _check_prefix(given["metadataPrefix"])
    body = ET.Element(f"{{{OAI_NS}}}GetRecord")
    _record(body, _find(given["identifier"], items, repo), repo)
    return body


def _list(given: Mapping[str, str], items: Sequence[Item], repo: Repository, verb: str):
    if "resumptionToken" in given:
        asked = decode_token(given["resumptionToken"], verb)
    else:
        asked = Listing(verb, given["metadataPrefix"], given.get("set", ""),
                        given.get("from", ""), given.get("until", ""))  # fmt: skip
        _check_prefix(asked.prefix)
    matching = _select(items, asked, repo)
    rest = [i for i in matching if i.key > asked.after] if asked.sent else matching
    if not rest:
        raise OaiError("noRecordsMatch", "no records match these arguments")
    page = rest[: repo.page_size]
    body = ET.Element(f"{{{OAI_NS}}}{verb}")
    for item in page:
        if verb == "ListRecords":
            _record(body, item, repo)
        else:
            _header(body, item, repo)
    more = len(rest) > len(page)
    if more or asked.sent:  # the last part of a list in parts ends with an empty token (3.5)
        sent = asked.sent + len(page)
        token = encode_token(Listing(asked.verb, asked.prefix, asked.set_spec, asked.start,
                                     asked.until, sent, page[-1].key)) if more else ""  # fmt: skip
        element = _sub(body, "resumptionToken", token)
        element.set("completeListSize", str(len(matching)))
        element.set("cursor", str(asked.sent))
    return body


def _select(items: Sequence[Item], asked: Listing, repo: Repository) -> list[Item]:
    start = _moment(asked.start, False) if asked.start else ""
    until = _moment(asked.until, True) if asked.until else ""
    kind, _, value = asked.set_spec.partition(":")
    if asked.set_spec and asked.set_spec not in dict(sets_of(repo)):
        raise OaiError("noRecordsMatch", f"set {asked.set_spec!r}: no such set (see ListSets)")
    kept = []
    for item in items:
        if (start and item.datestamp < start) or (until and item.datestamp > until):
            continue
        if value and not filter_records([item.record], **{f"{kind}s": [value]}):
            continue
        kept.append(item)
    return kept


def _check_prefix(prefix: str) -> None:
    if prefix != PREFIX:
        raise OaiError("cannotDisseminateFormat", f"metadataPrefix {prefix!r}: only {PREFIX}")


def _find(identifier: str, items: Sequence[Item], repo: Repository) -> Item:
    head = f"oai:{repo.repository_id}:"
    doc_id = identifier[len(head) :] if identifier.startswith(head) else None
    for item in items:
        if doc_id and item.record["doc_id"] == doc_id:
            return item
    raise OaiError("idDoesNotExist", f"{identifier!r}: no such record (identifiers: {head}<id>)")


def _header(parent: ET.Element, item: Item, repo: Repository) -> None:
    header = _sub(parent, "header")
    _sub(header, "identifier", f"oai:{repo.repository_id}:{item.record['doc_id']}")
    _sub(header, "datestamp", item.datestamp)
    for spec in set_specs(item.record):
        _sub(header, "setSpec", spec)


def set_specs(record: Mapping) -> list[str]:
    partners = list(dict.fromkeys([record.get("partner"), *(record.get("partners") or ())]))
    specs = [f"partner:{p}" for p in partners if p]
    return specs + ([f"type:{record['type']}"] if record.get("type") else [])


def _record(parent: ET.Element, item: Item, repo: Repository) -> None:
    record = _sub(parent, "record")
    _header(record, item, repo)
    metadata = _sub(record, "metadata")
    dc = ET.SubElement(metadata, f"{{{OAI_DC_NS}}}dc",
                       {f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {OAI_DC_XSD}"})  # fmt: skip
    for element, value in dublin_core(item.record, repo):
        _sub(dc, element, value, DC_NS)


def dublin_core(record: Mapping, repo: Repository) -> list[tuple[str, str]]:
    """(element, value) pairs of simple Dublin Core for a record, in OAI_DC_FIELDS' order."""
    names = repo.partner_names
    out: list[tuple[str, str]] = []
    for name in OAI_DC_FIELDS:
        term = DUBLIN_CORE[name]
        element = REFINES.get(term) or term.removeprefix("dc:")
        value = record.get(name)
        if name == "partner":
            values = [names.get(value, value)] if value else []
        elif name == "partners":  # the others that publish it
            values = [names.get(p, p) for p in value or () if p != record.get("partner")]
        elif name == "type":
            values = [type_label(value, "pl"), "MovingImage" if value == "video" else "Text"]
        elif name == "date":
            values = [value or record.get("year") or ""]
        elif name == "pages":
            values = [f"{value} s."] if value and record.get("media_type") != "text/html" else []
        elif name == "doc_id":
            values = [repo.doc_url(str(value))]
        elif name == "sha256":
            values = [f"urn:sha256:{value}"] if value else []
        elif name == "source_urls":
            values = [u for u in value or () if u != record.get("url")]
        else:
            values = [value]
        out.extend((element, str(v)) for v in values if v not in (None, ""))
    return out


# --- resumption tokens: the listing and the position reached, nothing kept on the server ----------


def encode_token(asked: Listing) -> str:
    data = [asked.verb, asked.prefix, asked.set_spec, asked.start, asked.until, asked.sent,
            *asked.after]  # fmt: skip
    raw = json.dumps(data, separators=(",", ":")).encode()
    return TOKEN_VERSION + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str, verb: str) -> Listing:
    """The listing a token continues; badResumptionToken if it is not one of ours, was made
    for another verb or names arguments that could not have been given."""
    bad = OaiError("badResumptionToken", "resumptionToken: not valid (start the list again)")
    if not token.startswith(TOKEN_VERSION) or len(token) > 2000:
        raise bad
    body = token[len(TOKEN_VERSION) :]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, ValueError):
        raise bad from None
    if not (isinstance(data, list) and len(data) == 8 and data[0] == verb):
        raise bad
    _, prefix, set_spec, start, until, sent, stamp, doc_id = data
    texts = (prefix, set_spec, start, until, stamp, doc_id)
    if not all(isinstance(t, str) for t in texts) or type(sent) is not int or sent < 1:
        raise bad
    if prefix != PREFIX or any(v and _moment(v, False) is None for v in (start, until)):
        raise bad
    return Listing(verb, prefix, set_spec, start, until, sent, (stamp, doc_id))


_ANSWERS: Mapping[str, Callable[[Mapping[str, str], Sequence[Item], Repository], ET.Element]] = {
    "Identify": _identify,
    "ListMetadataFormats": _formats,
    "ListSets": _sets,
    "GetRecord": _get_record,
    "ListIdentifiers": lambda g, i, r: _list(g, i, r, "ListIdentifiers"),
    "ListRecords": lambda g, i, r: _list(g, i, r, "ListRecords"),
}
