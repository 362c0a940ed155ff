"""Films on partner pages: links and embeds found, one canonical URL per film, nothing fetched."""

from __future__ import annotations

import hashlib

import pytest

from kooperacja.extract.films import video_text
from kooperacja.harvest.pages import parse_page
from kooperacja.harvest.video import canonical_video_url, video_sha256

PAGE = "https://rops.pomorskie.eu/projekty-rops/kooperacja-efektywna-i-skuteczna/"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://player.vimeo.com/video/76979871?h=8272103f6e", "https://vimeo.com/76979871"),
        ("https://vimeo.com/76979871", "https://vimeo.com/76979871"),
        (
            "https://rops.pomorskie.eu/files/Film%20Kooperacja.MP4",
            "https://rops.pomorskie.eu/files/Film%20Kooperacja.MP4",
        ),
        ("https://www.youtube.com/user/ropsgdansk", None),  # a channel, not a film
        ("https://www.youtube.com/watch?v=short", None),
        ("https://vimeo.com/about", None),
        ("https://rops.pomorskie.eu/files/model.pdf", None),
    ],
)
def test_canonical_video_url(url, canonical):
    assert canonical_video_url(url) == canonical


def test_link_and_embed_of_the_same_film_are_one_film_with_the_best_title():
    html = """<html><body><header><a href="https://www.youtube.com/watch?v=AAAAAAAAAAA">
    Nasz film</a></header><main><h1>Kooperacja – efektywna i skuteczna</h1>
    <p>Zobacz, jak gminy wiejskie pilotowały model kooperacji instytucji.</p>
    <p><a href="https://www.youtube.com/watch?v=kKq3Xs-pT4c">[Film dot. realizacji projektu
    „Kooperacja – efektywna i skuteczna”]</a></p>
    <h2>Film z konferencji</h2>
    <figure><iframe src="https://www.youtube-nocookie.com/embed/kKq3Xs-pT4c"
      title="YouTube video player"></iframe></figure>
    <figure><iframe data-src="https://player.vimeo.com/video/76979871"
      title="YouTube video player"></iframe><figcaption>Konferencja podsumowująca, Toruń
      8 grudnia 2021</figcaption></figure>
    <video controls><source src="/files/spot-kooperacja.mp4" type="video/mp4"></video>
    </main><footer><a href="https://www.youtube.com/user/rops">YouTube</a></footer></body></html>"""
    videos = {v.url: v for v in parse_page(html, PAGE).videos}
    assert set(videos) == {
        "https://www.youtube.com/watch?v=kKq3Xs-pT4c",
        "https://vimeo.com/76979871",
        "https://rops.pomorskie.eu/files/spot-kooperacja.mp4",
    }  # the header's film link is chrome, the footer's channel no film
    film = videos["https://www.youtube.com/watch?v=kKq3Xs-pT4c"]
    assert film.title == "Film dot. realizacji projektu „Kooperacja – efektywna i skuteczna”"
    assert film.how == "link" and "pilotowały model kooperacji" in film.context
    vimeo = videos["https://vimeo.com/76979871"]
    assert vimeo.title.startswith(
        "Konferencja podsumowująca, Toruń"
    )  # the player's name is no title
    assert "Film z konferencji" in vimeo.context
    assert (
        videos["https://rops.pomorskie.eu/files/spot-kooperacja.mp4"].title == "Film z konferencji"
    )


def test_identity_is_the_hash_of_the_canonical_url_and_text_starts_with_the_title():
    url = "https://www.youtube.com/watch?v=kKq3Xs-pT4c"
    assert video_sha256(url) == hashlib.sha256(url.encode()).hexdigest()
    text = video_text(
        ["", "Film o projekcie"], ["Zobacz film o kooperacji.", "Zobacz film o kooperacji."]
    )
    assert text == "Film o projekcie\nZobacz film o kooperacji."
