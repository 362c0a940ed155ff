# ruff: noqa: E501
"""HTML pages of the demo site (imported by build_site.py).

Three partners, each under its own path prefix. Links mix absolute paths ("/files/...")
and relative ones ("../../files/..."), as on the real sites.
"""

from __future__ import annotations

import html
import os
import pathlib

T_PROJ = "/rops-torun/projekty/kooperacja-efektywna-i-skuteczna/"
# Films are never fetched: their ids only need YouTube's form (11 characters).
FILM_TORUN = "https://www.youtube.com/watch?v=Kooperacja1"
FILM_GDANSK = "https://www.youtube.com/watch?v=Kooperacja2"
FILM_CONFERENCE = "Kooperacja3"
# The real article of ROPS Gdańsk was this short: 250 characters under its heading.
G_SHORT_URL = "/rops-gdansk/aktualnosci/spotkanie-regionalnej-grupy-refleksyjnej-2019/"
G_SHORT = (
    "Zapraszamy członków Regionalnej Grupy Refleksyjnej na spotkanie w ramach projektu "
    "„Kooperacja – efektywna i skuteczna”, które odbędzie się 2 października 2019 r. w Hotelu "
    "Zatoka w Gdańsku. Omówimy wyniki badań i założenia modelu kooperacji w gminach."
)
G_PROJ = "/rops-gdansk/projekty-rops/kooperacja-efektywna-i-skuteczna/"
U_PROJ = "/umk/cbnr/strona/kooperacja-efektywna-i-skuteczna/"

TORUN_NEWS = [
    # (date, slug or None, title, lead)
    (
        "09.12.2021",
        "2021/12/konferencja-podsumowujaca-projekt",
        "Konferencja podsumowująca projekt „Kooperacja – efektywna i skuteczna”",
        "W Toruniu podsumowaliśmy cztery lata pracy nad modelami kooperacji. Zaprezentowano "
        "Księgę rekomendacyjną.",
    ),
    (
        "31.03.2021",
        None,
        "Zakończenie pilotażu w gminach wiejskich",
        "Dwanaście gmin wiejskich zakończyło pilotaż modelu kooperacji. Sprawozdanie jest "
        "dostępne w zakładce Model kooperacji.",
    ),
    (
        "15.01.2020",
        "2020/01/rusza-pilotaz-w-gminach-wiejskich",
        "Rusza pilotaż modelu kooperacji w gminach wiejskich",
        "Znamy listę gmin, które przetestują model. Publikujemy harmonogram wdrażania.",
    ),
    (
        "02.12.2019",
        None,
        "Nabór gmin do pilotażu modelu kooperacji",
        "Zapraszamy gminy wiejskie z województwa kujawsko-pomorskiego do udziału w pilotażu.",
    ),
    (
        "25.09.2019",
        "2019/09/regionalna-grupa-refleksyjna-torun",
        "Spotkanie Regionalnej Grupy Refleksyjnej w Toruniu",
        "Dyskutowaliśmy o wynikach badań UMK i założeniach modeli kooperacji.",
    ),
    (
        "11.03.2019",
        None,
        "Badania ankietowe w ośrodkach pomocy społecznej",
        "Uniwersytet Mikołaja Kopernika rozpoczął badanie ankietowe instytucji pomocy "
        "i integracji społecznej.",
    ),
]


def _rel(from_dir: str, target: str) -> str:
    """Relative href from a page folder (URL path ending with /) to a target URL path."""
    return os.path.relpath(target, from_dir) + ("/" if target.endswith("/") else "")


def write_pages(out_dir: pathlib.Path, docs, sizes, page_html, human_size):
    by_stem = {d["stem"]: d for d in docs}
    written: list[pathlib.Path] = []

    def put(url_path: str, text: str):
        target = out_dir / url_path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)

    def size(rel: str, style: str) -> str:
        return human_size(sizes[rel], style) if rel in sizes else "?"

    def esc(s: str) -> str:
        return html.escape(s, quote=False)

    # ------------------------------------------------------------------ root + robots
    (out_dir / "robots.txt").write_text(
        "User-agent: *\nDisallow: /rops-torun/admin/\nAllow: /\n", encoding="utf-8"
    )
    written.append(out_dir / "robots.txt")
    (out_dir / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="pl"><head><meta charset="utf-8">'
        "<title>Demo – strony partnerów projektu Kooperacja</title></head><body>\n"
        "<h1>Demo: strony partnerów projektu „Kooperacja – efektywna i skuteczna”</h1>\n<ul>\n"
        f'<li><a href="{T_PROJ}">ROPS Toruń – strona projektu</a></li>\n'
        f'<li><a href="{G_PROJ}">ROPS Gdańsk – strona projektu</a></li>\n'
        f'<li><a href="{U_PROJ}">UMK Toruń – Centrum Badań Nad Rodziną</a></li>\n'
        "</ul>\n</body></html>\n",
        encoding="utf-8",
    )
    written.append(out_dir / "index.html")

    # ------------------------------------------------------------------ ROPS Toruń
    tp = "rops-torun"
    crumbs_proj = [
        ("Strona główna", "/rops-torun/"),
        ("Projekty", "/rops-torun/projekty/"),
        ("Kooperacja – efektywna i skuteczna", None),
    ]

    def tlink(stem: str, text: str, idx: int = 0) -> str:
        rel = by_stem[stem]["paths"][idx]
        kind = rel.rsplit(".", 1)[-1]
        return f'<a href="/{rel}">{esc(text)} [{kind}, {size(rel, "kb")}]</a>'

    downloads = [
        tlink(
            "model_kooperacji_gminy_wiejskie", "Publikacja modelu kooperacji w gminach wiejskich"
        ),
        tlink(
            "model_wiejskie_wersja_skrocona",
            "Model kooperacji w gminach wiejskich – wersja skrócona",
        ),
        tlink("zalozenia_prawne_wspolpracy_instytucji", "Założenia prawne współpracy instytucji"),
        '<a href="/files/rops-torun/schemat_modelu_gminy_wiejskie.pdf">Schemat modelu '
        "kooperacji w gminach wiejskich [pdf, 123KB]</a>",
        tlink(
            "harmonogram_wdrazania_gminy_wiejskie",
            "Harmonogram wdrażania modelu kooperacji w gminach wiejskich",
        ),
        tlink(
            "sprawozdanie_pilotaz_gminy_wiejskie",
            "Sprawozdanie z pilotażu modelu w gminach wiejskich",
        ),
        tlink(
            "model_kooperacji_gminy_miejsko-wiejskie",
            "Publikacja modelu kooperacji w gminach miejsko-wiejskich",
        ),
        tlink(
            "model_kooperacji_gminy_miejskie", "Publikacja modelu kooperacji w gminach miejskich"
        ),
        tlink(
            "protokol_pgd_wabrzezno_skan",
            "Protokół z posiedzenia Powiatowej Grupy Decydentów w Wąbrzeźnie (skan)",
        ),
        tlink(
            "notatka_zespol_kooperacyjny_lubicz",
            "Notatka ze spotkania zespołu kooperacyjnego w gminie Lubicz",
        ),
        tlink(
            "prezentacja_zespoly_kooperacyjne",
            "Prezentacja: zespoły kooperacyjne w gminach wiejskich – doświadczenia pilotażu",
        ),
    ]
    if "ksiega_rekomendacyjna" in by_stem:
        downloads.insert(0, tlink("ksiega_rekomendacyjna", "Księga rekomendacyjna"))
    news_items = []
    for date, slug, title, lead in TORUN_NEWS[:3]:
        t = f'<a href="/rops-torun/aktualnosci/{slug}/">{esc(title)}</a>' if slug else esc(title)
        news_items.append(f'      <li><span class="date">{date}</span> {t}<br>{esc(lead)}</li>')
    body = f"""    <h1>Kooperacja – efektywna i skuteczna</h1>
    <p>Projekt „Kooperacja – efektywna i skuteczna” realizowany jest przez Województwo
    Kujawsko-Pomorskie – Regionalny Ośrodek Polityki Społecznej w Toruniu (Partner Wiodący)
    w partnerstwie z regionalnymi ośrodkami polityki społecznej w Zielonej Górze, Gdańsku,
    Olsztynie, Poznaniu i Szczecinie oraz z Uniwersytetem Mikołaja Kopernika w Toruniu.</p>
    <p>Celem projektu jest wypracowanie i przetestowanie modeli kooperacji pomiędzy
    instytucjami pomocy i integracji społecznej a podmiotami innych polityk sektorowych –
    osobno dla gmin wiejskich, miejsko-wiejskich i miejskich. Okres realizacji: 1.05.2018 –
    31.12.2021. Wartość projektu: 13 726 459,50 zł.</p>
    <h2>Model kooperacji – dokumenty do pobrania</h2>
    <p>Wypracowane modele kooperacji wraz z Księgą rekomendacyjną zawierającą rekomendacje
    dla wszystkich trzech modeli:</p>
    <ul class="downloads">
{chr(10).join("      <li>" + d + "</li>" for d in downloads)}
    </ul>
    <h2>Aktualności projektu</h2>
    <ul class="news">
{chr(10).join(news_items)}
    </ul>
    <p><a href="aktualnosci/">Wszystkie aktualności projektu &raquo;</a></p>
    <p><a href="{FILM_TORUN}">Film o projekcie (YouTube)</a></p>
"""
    put(
        T_PROJ,
        page_html(
            tp,
            "Kooperacja – efektywna i skuteczna",
            crumbs_proj,
            body,
            ' | <a href="/rops-torun/admin/">Logowanie</a>',
        ),
    )

    # news list with pagination
    per_page = 4
    pages = [TORUN_NEWS[i : i + per_page] for i in range(0, len(TORUN_NEWS), per_page)]
    for n, chunk in enumerate(pages, start=1):
        url = T_PROJ + "aktualnosci/" + ("" if n == 1 else f"page/{n}/")
        items = []
        for date, slug, title, lead in chunk:
            t = (
                f'<a href="/rops-torun/aktualnosci/{slug}/">{esc(title)}</a>'
                if slug
                else f"<strong>{esc(title)}</strong>"
            )
            items.append(
                f'      <article><span class="date">{date}</span>\n'
                f"      <h2>{t}</h2>\n      <p>{esc(lead)}</p></article>"
            )
        nav = []
        for m in range(1, len(pages) + 1):
            murl = T_PROJ + "aktualnosci/" + ("" if m == 1 else f"page/{m}/")
            nav.append(f"<span>{m}</span>" if m == n else f'<a href="{_rel(url, murl)}">{m}</a>')
        if n < len(pages):
            nav.append(
                f'<a href="{_rel(url, T_PROJ + f"aktualnosci/page/{n + 1}/")}">Następna &raquo;</a>'
            )
        body = (
            "    <h1>Aktualności – Kooperacja – efektywna i skuteczna</h1>\n"
            + "\n".join(items)
            + f'\n    <div class="pagination">Strona: {" ".join(nav)}</div>\n'
        )
        put(
            url,
            page_html(
                tp,
                "Aktualności",
                crumbs_proj[:2]
                + [("Kooperacja – efektywna i skuteczna", T_PROJ), ("Aktualności", None)],
                body,
            ),
        )

    # news articles
    art_crumbs = [("Strona główna", "/rops-torun/"), ("Aktualności", T_PROJ + "aktualnosci/")]
    a1 = f"""    <h1>Rusza pilotaż modelu kooperacji w gminach wiejskich</h1>
    <p class="date">Opublikowano: 15 stycznia 2020</p>
    <p>Komisja konkursowa wyłoniła 12 gmin wiejskich z województwa kujawsko-pomorskiego,
    które od 1 lutego 2020 r. do 31 stycznia 2021 r. będą testować model kooperacji pomiędzy
    instytucjami pomocy i integracji społecznej a podmiotami innych polityk sektorowych.
    Każda z gmin otrzyma grant na zatrudnienie koordynatora kooperacji i organizację spotkań
    z partnerami.</p>
    <p>Szkolenie dla koordynatorów odbędzie się 12–13 lutego 2020 r. w Toruniu.
    Szczegółowe terminy zawiera
    {tlink("harmonogram_wdrazania_gminy_wiejskie", "Harmonogram wdrażania modelu kooperacji w gminach wiejskich")}.</p>
    <p><a href="{T_PROJ}aktualnosci/">&laquo; Powrót do listy aktualności</a></p>
"""
    put(
        "/rops-torun/aktualnosci/2020/01/rusza-pilotaz-w-gminach-wiejskich/",
        page_html(tp, "Rusza pilotaż modelu kooperacji", art_crumbs + [("Pilotaż", None)], a1),
    )
    ks = (
        tlink("ksiega_rekomendacyjna", "Księga rekomendacyjna")
        if "ksiega_rekomendacyjna" in by_stem
        else "Księga rekomendacyjna"
    )
    a2 = f"""    <h1>Konferencja podsumowująca projekt „Kooperacja – efektywna i skuteczna”</h1>
    <p class="date">Opublikowano: 9 grudnia 2021</p>
    <p>W dniu 8 grudnia 2021 r. w Centrum Kulturalno-Kongresowym Jordanki w Toruniu odbyła
    się konferencja podsumowująca projekt. Wzięło w niej udział ponad 180 osób:
    przedstawiciele ośrodków pomocy społecznej, powiatowych centrów pomocy rodzinie,
    Policji, szkół, sądów i organizacji pozarządowych z sześciu województw.</p>
    <p>Zaprezentowano wyniki pilotaży przeprowadzonych w 58 gminach oraz 30 rekomendacji
    dotyczących wdrażania modeli kooperacji. Publikacja do pobrania: {ks}.</p>
    <h2>Relacja wideo z konferencji</h2>
    <figure><iframe width="560" height="315" title="YouTube video player"
      src="https://www.youtube-nocookie.com/embed/{FILM_CONFERENCE}?rel=0"></iframe>
    <figcaption>Konferencja podsumowująca projekt, Toruń, 8 grudnia 2021 r. – wystąpienia
    koordynatorów kooperacji z gmin wiejskich i miejskich</figcaption></figure>
    <p><a href="{T_PROJ}aktualnosci/">&laquo; Powrót do listy aktualności</a></p>
"""
    put(
        "/rops-torun/aktualnosci/2021/12/konferencja-podsumowujaca-projekt/",
        page_html(tp, "Konferencja podsumowująca", art_crumbs + [("Konferencja", None)], a2),
    )
    a3 = f"""    <h1>Spotkanie Regionalnej Grupy Refleksyjnej w Toruniu</h1>
    <p class="date">Opublikowano: 25 września 2019</p>
    <p>24 września 2019 r. w siedzibie Regionalnego Ośrodka Polityki Społecznej w Toruniu
    spotkali się członkowie Regionalnej Grupy Refleksyjnej województwa kujawsko-pomorskiego.
    Przedstawiciele Uniwersytetu Mikołaja Kopernika zaprezentowali wyniki badań nad
    współpracą instytucji pomocowych, a eksperci ROPS – założenia modelu kooperacji dla gmin
    wiejskich.</p>
    <p>Uczestnicy zwracali uwagę na rolę dzielnicowych i asystentów rodziny oraz na problem
    dojazdów mieszkańców wsi do instytucji powiatowych. Więcej o badaniach na stronie
    <a href="{U_PROJ}">Centrum Badań Nad Rodziną UMK</a>.</p>
    <p><a href="{_rel("/rops-torun/aktualnosci/2019/09/regionalna-grupa-refleksyjna-torun/", T_PROJ)}">&laquo; Powrót do strony projektu</a></p>
"""
    put(
        "/rops-torun/aktualnosci/2019/09/regionalna-grupa-refleksyjna-torun/",
        page_html(tp, "Regionalna Grupa Refleksyjna", art_crumbs + [("RGR", None)], a3),
    )
    put(
        "/rops-torun/admin/",
        page_html(
            tp,
            "Panel administracyjny",
            [("Logowanie", None)],
            "    <h1>Panel administracyjny</h1>\n    <p>Dostęp wyłącznie dla pracowników ROPS."
            '</p>\n    <p><a href="/rops-torun/admin/dokumenty-robocze/">Dokumenty robocze</a>'
            "</p>\n",
        ),
    )
    put(
        "/rops-torun/",
        page_html(
            tp,
            "Strona główna",
            [("Strona główna", None)],
            f"    <h1>Regionalny Ośrodek Polityki Społecznej w Toruniu</h1>\n"
            f'    <p>Projekty: <a href="{T_PROJ}">Kooperacja – efektywna i skuteczna</a></p>\n',
        ),
    )

    # ------------------------------------------------------------------ ROPS Gdańsk
    gp = "rops-gdansk"
    g_news = "/rops-gdansk/aktualnosci/spotkanie-powiatowej-grupy-decydentow-starogard/"

    def glink(stem: str, text: str, idx: int = 0) -> str:
        paths = by_stem[stem]["paths"]
        rel = [p for p in paths if p.startswith("files/rops-gdansk/")][idx]
        return f'<a href="{_rel(G_PROJ, "/" + rel)}">{esc(text)} [pdf, {size(rel, "mb")}]</a>'

    g_down = [
        glink(
            "model_kooperacji_gminy_miejsko-wiejskie",
            "Model kooperacji pomiędzy instytucjami pomocy i integracji społecznej, a "
            "podmiotami innych polityk sektorowych w gminach miejsko-wiejskich (całość)",
        ),
        glink(
            "model_miejsko-wiejskie_wersja_skrocona",
            "Model kooperacji pomiędzy instytucjami pomocy i integracji społecznej, a "
            "podmiotami innych polityk sektorowych w gminach miejsko-wiejskich "
            "(wersja skrócona)",
        ),
        glink("pobierz-17", "Sprawozdanie z pilotażu modelu"),
        glink(
            "prezentacja_gminy_miejsko-wiejskie_16-06-2021",
            "Prezentacja – spotkanie edukacyjno-szkoleniowe dla gmin miejsko-wiejskich "
            "w dniu 16.06.2021",
        ),
    ]
    if "ksiega_rekomendacyjna" in by_stem:
        g_down.append(glink("ksiega_rekomendacyjna", "Księga rekomendacyjna"))
    body = f"""    <p class="kicker">KOOPERACJA EFEKTYWNA I SKUTECZNA</p>
    <h1>Spotkanie Regionalnej Grupy Refleksyjnej w ramach projektu „Kooperacja – efektywna
    i skuteczna” [RELACJA]</h1>
    <p class="date">Data publikacji: 03.10.2019</p>
    <p><em>Fot. Magdalena Pacholczyk</em></p>
    <p>W środę 2 października br. w Hotelu Zatoka w Gdańsku odbyło się kolejne spotkanie
    Regionalnej Grupy Refleksyjnej w ramach projektu „Kooperacja – efektywna i skuteczna”,
    w której udział wzięli przedstawiciele instytucji pomocy i integracji społecznej oraz
    wybranych sektorów istotnych z punktu widzenia strategicznego podejścia do
    przeciwdziałania ubóstwu i wykluczeniu społecznemu w woj. pomorskim.</p>
    <p>Podczas spotkania przedstawiono wyniki badań i wnioski z działań przeprowadzonych przez
    Uniwersytet Mikołaja Kopernika z Torunia, m.in.:</p>
    <ul>
      <li>jak przedstawia się współpraca instytucji pomocowych w województwie pomorskim na
      różnych poziomach struktury administracyjnej,</li>
      <li>efekty współpracy podejmowanej z innymi instytucjami oraz czynniki utrudniające
      podjęcie tej współpracy,</li>
      <li>analizę sieci powiązań pomiędzy interesariuszami a rodzinami dysfunkcyjnymi.</li>
    </ul>
    <p>Uczestnicy mieli możliwość wyrażenia opinii na temat założeń modelu i odniesienia się
    do wyników badań, przedstawiając swoje spostrzeżenia i propozycje.</p>
    <p>Galeria zdjęć. Fot. Magdalena Pacholczyk, Kinga Mrycik</p>
    <h2>[Do pobrania]</h2>
    <ol>
{chr(10).join("      <li>" + d + "</li>" for d in g_down)}
    </ol>
    <p><a href="{FILM_GDANSK}">[Film dot. realizacji projektu
    „Kooperacja – efektywna i skuteczna”]</a></p>
    <h2>Zobacz także</h2>
    <ul>
      <li><a href="{_rel(G_PROJ, g_news)}">Spotkanie Powiatowej Grupy Decydentów w Starogardzie
      Gdańskim (23.10.2019)</a></li>
      <li><a href="{G_SHORT_URL}">Spotkanie Regionalnej Grupy Refleksyjnej – zaproszenie
      (26.09.2019)</a></li>
    </ul>
    <h2>Dowiedz się więcej</h2>
    <p>Dodatkowych informacji może udzielić Ci Regionalny Ośrodek Polityki Społecznej pod
    numerem 58 32 68 561 lub adresem e-mail rops@pomorskie.example</p>
"""
    g_crumbs = [
        ("Start", "/rops-gdansk/"),
        ("Projekty ROPS", "/rops-gdansk/projekty-rops/"),
        ("Kooperacja – efektywna i skuteczna", None),
    ]
    put(G_PROJ, page_html(gp, "Kooperacja – efektywna i skuteczna", g_crumbs, body))
    body = f"""    <h1>Spotkanie Powiatowej Grupy Decydentów – powiat starogardzki</h1>
    <p class="date">23.10.2019</p>
    <p>W dniu 23 października 2019 w Starogardzie Gdańskim w ramach projektu „Kooperacja –
    efektywna i skuteczna” odbyło się spotkanie Powiatowej Grupy Decydentów dla powiatu
    starogardzkiego Województwa Pomorskiego.</p>
    <p>W spotkaniu udział wzięli przedstawiciele instytucji pomocy i integracji społecznej
    działających na terenie powiatu. Spotkanie gościnnie poprowadziły przedstawicielki
    Regionalnego Ośrodka Polityki Społecznej w Toruniu – Partnera Wiodącego projektu,
    przybliżając merytoryczne aspekty współpracy międzysektorowej założonej w modelu dla gmin
    miejsko-wiejskich oraz podsumowując dokonania I kamienia milowego.</p>
    <p>Spotkaniu towarzyszyła dyskusja na temat korzyści wynikających z kooperacji oraz
    wykorzystania narzędzi stworzonych na potrzeby modelu.</p>
    <p>Model do pobrania:
    <a href="/files/rops-gdansk/model_kooperacji_gminy_miejsko-wiejskie.pdf">Model kooperacji
    w gminach miejsko-wiejskich (całość)</a></p>
    <p><a href="{G_PROJ}">&laquo; Wróć do strony projektu</a></p>
"""
    put(
        g_news,
        page_html(
            gp,
            "Spotkanie Powiatowej Grupy Decydentów",
            [
                ("Start", "/rops-gdansk/"),
                ("Aktualności", "/rops-gdansk/aktualnosci/"),
                ("Powiatowa Grupa Decydentów", None),
            ],
            body,
        ),
    )
    put(
        G_SHORT_URL,
        page_html(
            gp,
            "Spotkanie Regionalnej Grupy Refleksyjnej",
            [("Start", "/rops-gdansk/"), ("Aktualności", "/rops-gdansk/aktualnosci/"), ("RGR", None)],
            "    <article>\n    <h1>Spotkanie Regionalnej Grupy Refleksyjnej</h1>\n"
            '    <p class="date">Opublikowano: 26.09.2019</p>\n'
            f"    <p>{esc(G_SHORT)}</p>\n    </article>\n",
        ),
    )
    put(
        "/rops-gdansk/",
        page_html(
            gp,
            "Start",
            [("Start", None)],
            f'    <h1>ROPS w Gdańsku</h1>\n    <p><a href="{G_PROJ}">Kooperacja – efektywna i '
            "skuteczna</a></p>\n",
        ),
    )

    # ------------------------------------------------------------------ UMK
    up = "umk"
    u_news = "/umk/cbnr/wydarzenia/seminarium-wyniki-badan-kooperacja/"

    def ulink(stem: str, text: str) -> str:
        rel = by_stem[stem]["paths"][0]
        kb = round(sizes[rel] / 1024) if rel in sizes else 0
        return f'<a href="/{rel}">{esc(text)}</a> (PDF, {kb} KB)'

    body = f"""    <h1>Kooperacja – efektywna i skuteczna</h1>
    <p>Uniwersytet Mikołaja Kopernika w Toruniu jest partnerem naukowym projektu
    „Kooperacja – efektywna i skuteczna”, którego liderem jest
    <a href="{T_PROJ}">Regionalny Ośrodek Polityki Społecznej w Toruniu</a>. Zespół
    Centrum Badań Nad Rodziną przeprowadził w 2019 roku badania współpracy instytucji
    pomocy i integracji społecznej w sześciu województwach oraz analizę sieci wsparcia
    rodzin dysfunkcyjnych.</p>
    <h2>Publikacje i raporty</h2>
    <ul>
      <li>{ulink("raport_z_badan_wspolpraca_instytucji", "Raport z badań. Współpraca instytucji pomocy i integracji społecznej z podmiotami innych polityk sektorowych")}</li>
      <li>{ulink("diagnoza_sieci_wsparcia_rodzin", "Diagnoza sieci wsparcia rodzin dysfunkcyjnych w gminach")}</li>
      <li>{ulink("prezentacja_wyniki_badan_rgr_2019", "Prezentacja wyników badań – Regionalna Grupa Refleksyjna, Gdańsk 2.10.2019")}</li>
    </ul>
    <h2>Wydarzenia</h2>
    <ul><li><a href="../../wydarzenia/seminarium-wyniki-badan-kooperacja/">Seminarium: wyniki
    badań nad kooperacją instytucji (17.10.2019)</a></li></ul>
"""
    put(
        U_PROJ,
        page_html(
            up,
            "Kooperacja – efektywna i skuteczna",
            [
                ("UMK", "/umk/"),
                ("Centrum Badań Nad Rodziną", "/umk/cbnr/"),
                ("Projekty badawcze", None),
                ("Kooperacja – efektywna i skuteczna", None),
            ],
            body,
        ),
    )
    body = f"""    <h1>Seminarium: wyniki badań nad kooperacją instytucji</h1>
    <p class="date">17 października 2019 r., Collegium Humanisticum, sala C 2.14</p>
    <p>Centrum Badań Nad Rodziną zaprasza na seminarium, podczas którego zespół badawczy
    przedstawi wyniki badań zrealizowanych w projekcie „Kooperacja – efektywna i skuteczna”:
    poziom współpracy ośrodków pomocy społecznej ze szkołami, Policją, kuratorami i
    podmiotami ochrony zdrowia oraz strukturę sieci wsparcia rodzin w gminach wiejskich,
    miejsko-wiejskich i miejskich.</p>
    <p>Materiały: {ulink("raport_z_badan_wspolpraca_instytucji", "Raport z badań")}.</p>
    <p><a href="{U_PROJ}">&laquo; Strona projektu</a></p>
"""
    put(
        u_news,
        page_html(
            up,
            "Seminarium",
            [("UMK", "/umk/"), ("Centrum Badań Nad Rodziną", "/umk/cbnr/"), ("Wydarzenia", None)],
            body,
        ),
    )

    for p in ("rops-torun", "rops-gdansk", "umk"):
        put(
            f"/{p}/deklaracja-dostepnosci/",
            page_html(
                p,
                "Deklaracja dostępności",
                [("Deklaracja dostępności", None)],
                "    <h1>Deklaracja dostępności</h1>\n    <p>Serwis jest częściowo zgodny z "
                "ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i "
                "aplikacji mobilnych podmiotów publicznych.</p>\n",
            ),
        )
    return written
