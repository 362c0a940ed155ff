"""OAI-PMH 2.0 at /oai (web/oai.py, exports/oai.py) over the archive the pipeline built from the
fixture partner site: every answer valid against the official OAI-PMH and oai_dc schemas, each
error code where the protocol asks for it, and a real harvester (Sickle) paging through it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import xmlschema
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, NoRecordsMatch

from kooperacja.cli import cli
from kooperacja.config import load_config
from kooperacja.exports.oai import Listing, encode_token
from kooperacja.web.app import create_app
from tests.test_web_hostile import assert_answered
from tests.test_web_searches import served
from tests.web_archive import WebArchive

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
PAGE = 2  # records per answer in these tests: every list comes in parts
REPOSITORY = "kooperacja.rops.example"


def oai_schema() -> etree.XMLSchema:
    """OAI-PMH.xsd with oai_dc.xsd, simple DC and xml.xsd, all from local files (no network):
    a schema importing each namespace from its file first (the schemas' own imports of the
    same namespaces, by URL, are then skipped)."""
    xml_xsd = Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd"
    imports = [
        ("http://www.w3.org/XML/1998/namespace", xml_xsd),
        (NS["dc"], SCHEMAS / "simpledc20021212.xsd"),
        (NS["oai_dc"], SCHEMAS / "oai_dc.xsd"),
        (NS["o"], SCHEMAS / "OAI-PMH.xsd"),
    ]
    wrapper = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>' for ns, path in imports
    ) + "</xs:schema>"
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


SCHEMA = oai_schema()


@pytest.fixture(scope="module")
def oai(web_archive: WebArchive) -> Iterator[str]:
    """The web archive served with a small page size and a repository id, as an admin sets
    them in config.yaml; yields the /oai address."""
    data = yaml.safe_load(web_archive.config_path.read_text(encoding="utf-8"))
    data["oai"] = {"repository_id": REPOSITORY, "admin_email": "archiwum@rops.example.org",
                   "page_size": PAGE}  # fmt: skip
    path = web_archive.config_path.with_name("config-oai.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with served(create_app(load_config(path))) as base:
        yield base + "/oai"


def ask(url: str, method: str = "GET", **args: str) -> etree._Element:
    """The answer to a request, checked against the schemas; its root element."""
    if method == "GET":
        response = requests.get(url, params=args, timeout=60)
    else:
        response = requests.post(url, data=args, timeout=60)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert "content-security-policy" in response.headers
    root = etree.fromstring(response.content)
    SCHEMA.assertValid(root)
    return root


def error_code(root: etree._Element) -> str | None:
    found = root.find("o:error", NS)
    return None if found is None else found.get("code")


def identifier(doc_id: str) -> str:
    return f"oai:{REPOSITORY}:{doc_id}"


def all_records(web_archive: WebArchive) -> list[dict]:
    args = ["--config", str(web_archive.config_path), "export", "--format", "json"]
    return json.loads(CliRunner().invoke(cli, args).stdout)


# --- the six verbs -------------------------------------------------------------------------------


def test_identify_names_the_repository_and_its_policies(oai) -> None:
    root = ask(oai, verb="Identify")
    body = root.find("o:Identify", NS)
    assert body.findtext("o:baseURL", namespaces=NS) == oai
    assert body.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert body.findtext("o:adminEmail", namespaces=NS) == "archiwum@rops.example.org"
    assert body.findtext("o:deletedRecord", namespaces=NS) == "no"
    assert body.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert "Kooperacja" in body.findtext("o:repositoryName", namespaces=NS)
    earliest = body.findtext("o:earliestDatestamp", namespaces=NS)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", earliest)
    assert root.find("o:request", NS).get("verb") == "Identify"


def test_post_with_form_encoding_is_answered_as_get(oai) -> None:
    got = ask(oai, verb="ListMetadataFormats")
    posted = ask(oai, "POST", verb="ListMetadataFormats")
    assert etree.tostring(got.find("o:ListMetadataFormats", NS)) == etree.tostring(
        posted.find("o:ListMetadataFormats", NS)
    )
    assert posted.findtext("o:ListMetadataFormats/o:metadataFormat/o:metadataPrefix",
                           namespaces=NS) == "oai_dc"  # fmt: skip


def test_sets_per_partner_and_per_type(oai) -> None:
    root = ask(oai, verb="ListSets")
    specs = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
             for s in root.iterfind("o:ListSets/o:set", NS)}  # fmt: skip
    assert specs["partner:rops-torun"] == "Regionalny Ośrodek Polityki Społecznej w Toruniu"
    assert specs["partner:rops-gdansk"] == "Regionalny Ośrodek Polityki Społecznej w Gdańsku"
    assert specs["type:recommendations"] == "Rekomendacje"
    assert {"partner", "type", "type:model", "type:video"} <= set(specs)


def test_get_record_gives_the_book_in_dublin_core(oai, web_archive) -> None:
    book = web_archive.ids["book"]
    root = ask(oai, verb="GetRecord", identifier=identifier(book), metadataPrefix="oai_dc")
    header = root.find("o:GetRecord/o:record/o:header", NS)
    assert header.findtext("o:identifier", namespaces=NS) == identifier(book)
    # Linked by both partners: in both partners' sets, and in its type's.
    assert {s.text for s in header.iterfind("o:setSpec", NS)} == {
        "partner:rops-torun", "partner:rops-gdansk", "type:recommendations"}  # fmt: skip
    dc = root.find("o:GetRecord/o:record/o:metadata/oai_dc:dc", NS)
    values = [(e.tag.split("}")[1], e.text) for e in dc]
    assert ("title", "Księga rekomendacyjna") in values
    assert ("type", "Rekomendacje") in values and ("type", "Text") in values
    assert ("language", "pl") in values
    assert ("format", "application/pdf") in values
    assert any(v[0] == "publisher" and v[1].startswith("Regionalny Ośrodek") for v in values)
    identifiers = [v for k, v in values if k == "identifier"]
    assert identifiers[0].endswith(f"/doc/{book}")  # its page in the archive, for the library
    assert any(v.startswith(f"urn:sha256:{book}") for v in identifiers)
    assert any(k == "source" and v.endswith("ksiega.pdf") for k, v in values)
    assert root.find("o:request", NS).get("identifier") == identifier(book)


def test_a_gone_document_keeps_its_record(oai, web_archive) -> None:
    report = web_archive.ids["report"]
    root = ask(oai, verb="GetRecord", identifier=identifier(report), metadataPrefix="oai_dc")
    header = root.find("o:GetRecord/o:record/o:header", NS)
    assert header.get("status") is None  # deletedRecord "no": nothing is ever deleted
    assert root.find("o:GetRecord/o:record/o:metadata/oai_dc:dc/dc:title", NS).text


def headers_of(oai: str, **args: str) -> list[etree._Element]:
    """Every header of a ListIdentifiers, following the resumption tokens; each part's
    completeListSize and cursor checked."""
    found: list[etree._Element] = []
    root = ask(oai, verb="ListIdentifiers", metadataPrefix="oai_dc", **args)
    while True:
        if error_code(root) == "noRecordsMatch":
            return found
        part = root.find("o:ListIdentifiers", NS)
        headers = part.findall("o:header", NS)
        assert 1 <= len(headers) <= PAGE
        token = part.find("o:resumptionToken", NS)
        if token is None:  # the whole list in one answer
            return found + headers
        assert int(token.get("cursor")) == len(found)
        found += headers
        assert int(token.get("completeListSize")) >= len(found)
        if not token.text:
            assert int(token.get("completeListSize")) == len(found)
            return found
        root = ask(oai, verb="ListIdentifiers", resumptionToken=token.text)


def test_list_identifiers_pages_through_the_whole_catalogue(oai, web_archive) -> None:
    headers = headers_of(oai)
    ids = [h.findtext("o:identifier", namespaces=NS) for h in headers]
    records = all_records(web_archive)
    assert len(records) > 2 * PAGE  # several parts
    assert sorted(ids) == sorted(identifier(r["doc_id"]) for r in records)
    stamps = [h.findtext("o:datestamp", namespaces=NS) for h in headers]
    assert stamps == sorted(stamps)  # oldest first: a harvest resumed never misses one


def test_sets_select_records(oai, web_archive) -> None:
    records = all_records(web_archive)
    gdansk = {identifier(r["doc_id"]) for r in records if "rops-gdansk" in r["partners"]}
    got = {h.findtext("o:identifier", namespaces=NS)
           for h in headers_of(oai, set="partner:rops-gdansk")}  # fmt: skip
    assert got == gdansk and identifier(web_archive.ids["book"]) in got
    models = {identifier(r["doc_id"]) for r in records if r["type"] == "model"}
    got = {h.findtext("o:identifier", namespaces=NS) for h in headers_of(oai, set="type:model")}
    assert got == models and models
    assert len(headers_of(oai, set="partner")) == len(records)  # a parent holds its children


def test_from_and_until_select_by_datestamp(oai, web_archive) -> None:
    headers = headers_of(oai)
    stamps = sorted(h.findtext("o:datestamp", namespaces=NS) for h in headers)
    last = stamps[-1]
    newest = [s for s in stamps if s == last]
    assert len(headers_of(oai, **{"from": last})) == len(newest)
    assert len(headers_of(oai, until=stamps[0])) == stamps.count(stamps[0])
    day = last[:10]
    on_the_day = [s for s in stamps if s.startswith(day)]
    assert len(headers_of(oai, **{"from": day, "until": day})) == len(on_the_day)
    root = ask(oai, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2999-01-01"})
    assert error_code(root) == "noRecordsMatch"


def test_list_records_in_parts_are_valid_dublin_core(oai, web_archive) -> None:
    root = ask(oai, verb="ListRecords", metadataPrefix="oai_dc", set="partner:rops-torun")
    part = root.find("o:ListRecords", NS)
    assert len(part.findall("o:record", NS)) == PAGE
    token = part.find("o:resumptionToken", NS)
    assert token.text and token.get("cursor") == "0"
    root = ask(oai, "POST", verb="ListRecords", resumptionToken=token.text)
    assert root.find("o:request", NS).get("resumptionToken") == token.text
    assert root.find("o:ListRecords/o:resumptionToken", NS).get("cursor") == str(PAGE)


# --- the protocol's errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": ""}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-06-01T12:00:00"},
         "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-06-01",
          "until": "2021-06-30T00:00:00Z"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2022-01-01",
          "until": "2021-01-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "partner: rops"},
         "badArgument"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
         "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "metadataPrefix": "mods", "identifier": "oai:x:1"},
         "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc",
          "identifier": f"oai:{REPOSITORY}:000000000000"}, "idDoesNotExist"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "ksiega"},
         "idDoesNotExist"),
        ({"verb": "ListMetadataFormats", "identifier": f"oai:{REPOSITORY}:nic"},
         "idDoesNotExist"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "partner:rops-krakow"},
         "noRecordsMatch"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1999-12-31"},
         "noRecordsMatch"),
        ({"verb": "ListRecords", "resumptionToken": "nie-nasz-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "k1e30"}, "badResumptionToken"),
    ],
)  # fmt: skip
def test_each_bad_request_gets_its_error_code(oai, args, code) -> None:
    root = ask(oai, **args)
    assert error_code(root) == code, etree.tostring(root)[:500]
    request = root.find("o:request", NS)
    assert request.text == oai
    if code in ("badVerb", "badArgument"):  # the arguments are not echoed (3.6)
        assert dict(request.attrib) == {}


def test_a_repeated_argument_is_a_bad_argument(oai) -> None:
    response = requests.get(oai + "?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",
                            timeout=30)  # fmt: skip
    root = etree.fromstring(response.content)
    SCHEMA.assertValid(root)
    assert error_code(root) == "badArgument"
    root = etree.fromstring(requests.get(oai + "?verb=Identify&verb=Identify", timeout=30).content)
    assert error_code(root) == "badVerb"


def test_a_token_for_another_verb_or_a_changed_token_is_refused(oai) -> None:
    root = ask(oai, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find("o:ListIdentifiers/o:resumptionToken", NS).text
    assert error_code(ask(oai, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    assert error_code(ask(oai, verb="ListIdentifiers", resumptionToken=token[:-3])) in (
        "badResumptionToken",
    )
    forged = encode_token(Listing("ListIdentifiers", "oai_dc", "", "2021-13-45", "", 2, ("", "")))
    assert error_code(ask(oai, verb="ListIdentifiers", resumptionToken=forged)) == (
        "badResumptionToken"
    )


# --- a real harvester ----------------------------------------------------------------------------


def test_sickle_harvests_every_record_by_resumption_tokens(oai, web_archive) -> None:
    sickle = Sickle(oai, max_retries=0, timeout=60)
    assert sickle.Identify().repositoryName.startswith("Publikacje projektu")
    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    expected = all_records(web_archive)
    assert len(expected) > 2 * PAGE
    assert sorted(r.header.identifier for r in records) == sorted(
        identifier(r["doc_id"]) for r in expected
    )
    book = next(r for r in records if r.header.identifier == identifier(web_archive.ids["book"]))
    assert book.metadata["title"] == ["Księga rekomendacyjna"]
    assert sorted(book.header.setSpecs) == ["partner:rops-gdansk", "partner:rops-torun",
                                            "type:recommendations"]  # fmt: skip
    sets = [s.setSpec for s in sickle.ListSets()]
    assert "partner:rops-torun" in sets
    got = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="type:model")]
    assert got and all(i.startswith(f"oai:{REPOSITORY}:") for i in got)
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
    with pytest.raises(BadResumptionToken):
        list(sickle.ListRecords(resumptionToken="k1zepsuty"))


# --- property-based: arbitrary arguments are answered by the protocol, never a 500 ---------------

ARGS = ("verb", "metadataPrefix", "identifier", "set", "from", "until", "resumptionToken", "q")
VERB_NAMES = st.sampled_from(["Identify", "ListMetadataFormats", "ListSets", "GetRecord",
                              "ListIdentifiers", "ListRecords"])  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=40),
    VERB_NAMES,
    st.sampled_from(["oai_dc", "partner:rops-torun", "type:model", "partner", "k1", "k1W10="]),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(args=st.dictionaries(st.sampled_from(ARGS), VALUES, max_size=5), post=st.booleans())
def test_any_arguments_are_answered_by_the_protocol(oai, args, post) -> None:
    if post:
        response = requests.post(oai, data=args, timeout=60)
    else:
        response = requests.get(oai, params=args, timeout=60)
    assert_answered(response, args)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    SCHEMA.assertValid(root)


# --- the answers as data (exports/oai.py): a harvest resumed after the archive grew ---------------


def test_a_token_resumes_after_the_archive_grew_and_misses_nothing() -> None:
    from kooperacja.exports.oai import Item, Repository, respond

    def item(doc_id: str, stamp: str) -> Item:
        record = {"doc_id": doc_id, "sha256": doc_id * 2, "title": f"Dokument {doc_id}",
                  "type": "model", "partner": "rops-torun", "partners": ["rops-torun"]}  # fmt: skip
        return Item(record, stamp)

    repo = Repository("http://127.0.0.1/oai", REPOSITORY, "a@b.pl", 2, {"rops-torun": "ROPS"},
                      lambda doc_id: f"http://127.0.0.1/doc/{doc_id}")  # fmt: skip
    items = [item(f"{n:012d}", f"2026-01-0{n}T10:00:00Z") for n in (1, 2, 3)]
    first = etree.fromstring(respond({"verb": ["ListIdentifiers"], "metadataPrefix": ["oai_dc"]},
                                     items, repo))  # fmt: skip
    SCHEMA.assertValid(first)
    token = first.find("o:ListIdentifiers/o:resumptionToken", NS)
    assert (token.get("cursor"), token.get("completeListSize")) == ("0", "3")
    # A document arrives between the two requests: it comes at the end, nothing is skipped.
    grown = [*items, item("000000000009", "2026-01-05T10:00:00Z")]
    second = etree.fromstring(respond({"verb": ["ListIdentifiers"],
                                       "resumptionToken": [token.text]}, grown, repo))  # fmt: skip
    SCHEMA.assertValid(second)
    ids = [i.text[-12:] for i in second.iterfind("o:ListIdentifiers/o:header/o:identifier", NS)]
    assert ids == ["000000000003", "000000000009"]
    last = second.find("o:ListIdentifiers/o:resumptionToken", NS)
    assert (last.text, last.get("cursor"), last.get("completeListSize")) == (None, "2", "4")
