"""kooperacja: harvest, archive and search the publications of
"Kooperacja – efektywna i skuteczna"."""

__version__ = "0.1.0"
