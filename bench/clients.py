"""The load benches' HTTP client: one keep-alive connection per simulated person, on the standard
library's http.client.

The benches run their clients on the machine that runs the server, so every millisecond a client
spends making and reading a request is taken from the server being measured. requests' Session
spent ~0.7 ms of CPU on each search here (a sixth of the two cores at 20 clients), http.client
~0.2 ms (bench/RESULTS.md, issue 17, eighth session); a staff member's browser runs on their
own computer. `--client requests` in web_load.py keeps the old client, for comparison.
"""

from __future__ import annotations

import http.client
import urllib.parse
from dataclasses import dataclass

_PATH_SAFE = "/:@!$&'()*+,;=%~"  # reserved characters, and escapes already made, kept


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # names lowercased
    body: bytes


class Failed(Exception):
    """No answer: the request could not be sent, or the connection failed or was dropped
    before the response was read. Counted as an error; the client goes on."""


class Client:
    """GET requests on one connection, opened again when the server closed it
    (`Connection: close`, answered by a busy server process: see web/connections.py)."""

    def __init__(self, base: str, timeout: float = 30):
        address = urllib.parse.urlsplit(base)
        self._connection = http.client.HTTPConnection(
            address.hostname, address.port, timeout=timeout
        )

    def get(self, path: str, params: dict[str, str] | None = None) -> Answer:
        # Letters beyond ASCII in the path percent-encoded, as a browser (and requests) sends
        # them: http.client would refuse them.
        url = urllib.parse.quote(path, safe=_PATH_SAFE)
        url += "?" + urllib.parse.urlencode(params) if params else ""
        try:
            # http.client closes the connection itself after an answer with `Connection:
            # close`, and opens a new one at the next request.
            self._connection.request("GET", url)
            response = self._connection.getresponse()
            body = response.read()
        except Exception as exc:  # whatever it is, an error of this request: the client goes on
            self._connection.close()
            raise Failed(f"{type(exc).__name__}: {exc}") from exc
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, headers, body)

    def close(self) -> None:
        self._connection.close()


class RequestsClient:
    """The same on requests' Session: the client the benches used before (`--client requests`)."""

    def __init__(self, base: str, timeout: float = 30):
        import requests

        self._base = base
        self._timeout = timeout
        self._session = requests.Session()

    def get(self, path: str, params: dict[str, str] | None = None) -> Answer:
        try:
            response = self._session.get(self._base + path, params=params, timeout=self._timeout)
        except Exception as exc:
            raise Failed(f"{type(exc).__name__}: {exc}") from exc
        headers = {name.lower(): value for name, value in response.headers.items()}
        return Answer(response.status_code, headers, response.content)

    def close(self) -> None:
        self._session.close()


CLIENTS = {"http": Client, "requests": RequestsClient}
