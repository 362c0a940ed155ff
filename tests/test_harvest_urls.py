from kooperacja.config import Partner
from kooperacja.harvest.pages import parse_page
from kooperacja.harvest.urls import in_scope, is_private_host
from kooperacja.webpage.htmltext import decode_html
from kooperacja.webpage.urls import normalize_url


def test_normalisation_makes_trivial_variants_equal():
    a = normalize_url("HTTPS://Rops.Pomorskie.EU:443/projekty-rops/a//b/?utm_source=fb&b=2&a=1#top")
    b = normalize_url("https://rops.pomorskie.eu/projekty-rops/a/b/?a=1&b=2")
    assert a == b == "https://rops.pomorskie.eu/projekty-rops/a/b/?a=1&b=2"
    assert (
        normalize_url("../pliki/Księga rekomendacyjna.pdf", "http://x.pl/a/b/")
        == "http://x.pl/a/pliki/Ksi%C4%99ga%20rekomendacyjna.pdf"
    )
    assert normalize_url("http://x.pl/a%c4%99") == normalize_url("http://x.pl/a%C4%99")
    assert normalize_url("mailto:rops@pomorskie.eu") is None
    assert normalize_url("javascript:void(0)") is None


def test_scope_prefixes():
    p = Partner("p", "P", "r", ("https://a.pl/projekt/",), ("https://a.pl/projekt/",), ("a.pl",))
    assert in_scope("https://a.pl/projekt/aktualnosci/?start=40", p)
    assert not in_scope("https://a.pl/inne/", p)


def test_private_hosts():
    assert (
        is_private_host("127.0.0.1")
        and is_private_host("10.1.2.3")
        and is_private_host("localhost")
    )
    assert not is_private_host("rops.pomorskie.eu") and not is_private_host("8.8.8.8")


def test_links_from_anchors_iframes_embeds_objects_and_base():
    html = """<html><head><base href="https://a.pl/projekt/"></head><body><main>
    <p>23 października 2019 <a href="pliki/ksiega.pdf">Księga rekomendacyjna [pdf, 7MB]</a></p>
    <iframe src="https://a.pl/viewer/raport.pdf"></iframe><embed src="model.pdf">
    <object data="/x/prezentacja.pdf"></object><a href="#top">góra</a></main></body></html>"""
    page = parse_page(html, "https://a.pl/inna/strona/")
    urls = {link.url: link for link in page.links}
    assert set(urls) == {
        "https://a.pl/projekt/pliki/ksiega.pdf",
        "https://a.pl/viewer/raport.pdf",
        "https://a.pl/projekt/model.pdf",
        "https://a.pl/x/prezentacja.pdf",
    }
    book = urls["https://a.pl/projekt/pliki/ksiega.pdf"]
    assert book.text == "Księga rekomendacyjna [pdf, 7MB]"
    assert "23 października 2019" in book.context


def test_charsets_declared_or_not():
    text = "<html><body><p>Współpraca ośrodków pomocy społecznej z policją - źródła, żółć.</p>"
    for enc in ("utf-8", "cp1250", "iso-8859-2"):
        body = text.encode(enc)
        assert "Współpraca ośrodków" in decode_html(body, None), enc  # no declaration at all
    meta = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1250">'
        "</head><body>Gmina Łęczyca, źródło</body></html>"
    ).encode("cp1250")
    assert "Łęczyca, źródło" in decode_html(meta, None)
    assert "Łęczyca" in decode_html("Łęczyca".encode("iso-8859-2"), "ISO-8859-2")


def test_main_text_drops_menus_footers_and_cookie_banners():
    html = """<html><body><nav><a href="/">Strona główna</a></nav>
    <div class="cookie-notice">Ta strona używa plików cookies</div>
    <main><h1>Spotkanie grupy</h1><p>W dniu 23 października 2019 odbyło się spotkanie.</p></main>
    <footer>ROPS, ul. Okopowa 21/27</footer></body></html>"""
    text = parse_page(html, "http://a.pl/").main_text
    assert "spotkanie" in text and "cookies" not in text
    assert "Okopowa" not in text and "Strona główna" not in text
