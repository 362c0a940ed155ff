"""The tag stage: titles, types, dates, partners and the curator's corrections."""
