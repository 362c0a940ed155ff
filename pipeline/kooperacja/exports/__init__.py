"""Export formats of the catalogue; the public entry points are in `kooperacja.exports.export`."""
