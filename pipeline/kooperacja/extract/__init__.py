"""The extract stage: text per page from PDFs, HTML, office files and scans."""
