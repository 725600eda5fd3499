"""The export's languages and the wording only its static pages use."""

from __future__ import annotations

LANGS = {"fr": "fr-CH", "en": "en"}  # language code in URLs -> locale (house style: fr-CH, see docs)

# Wording that only the static pages use (UI text, no data).
TEXT = {
    "fr": {
        "newer": "Les données ont été mises à jour depuis cette version : voir la dernière version",
        "version": "Version",
        "pinned": "Version figée (pour les articles)",
        "latest": "Dernière version (pour l'explicatif en ligne)",
        "versions": "Versions des données",
        "chart": "Graphique\u00a0: ",
        "controls": "Choisir la date",
        "index_title": "Explicatif Koursk : modules statiques",
        "explainer_pages": "L'explicatif : récit et sources",
        "explainer_pages_note": "Les pages de l'explicatif lui-même, à publier telles quelles (sans script, sans serveur).",
        "explainer": "Explorer l'explicatif",
        "intro_map": "Zone tenue par l'Ukraine et zone grise, jour après jour (source sous la carte) ; "
        "losanges : événements proches de la date.",
        "intro_area": "Superficie tenue par l'Ukraine selon les cartes, et les chiffres annoncés par chaque source.",
        "intro_casualties": "Chaque point est une déclaration d'une source ; chaque mesure a son panneau.",
        "intro_timeline": "Les événements datés, par catégorie ; en losange, ceux que cite l'article.",
    },
    "en": {
        "newer": "The data has been updated since this version: see the latest version",
        "version": "Version",
        "pinned": "Pinned version (for articles)",
        "latest": "Latest version (for the live explainer)",
        "versions": "Data versions",
        "chart": "Chart: ",
        "controls": "Choose the date",
        "index_title": "Kursk explainer: static embeds",
        "explainer_pages": "The explainer: story and sources",
        "explainer_pages_note": "The explainer's own pages, to publish as they are (no script, no server): "
        "the story and the sources, in each language.",
        "explainer": "Explore the explainer",
        "intro_map": "Ukrainian-held area and grey zone, day by day (source below the map); diamonds: events close to the date.",
        "intro_area": "Area held by Ukraine according to the maps, and the figures each source announced.",
        "intro_casualties": "Each dot is one statement by one source; each measure has its own panel.",
        "intro_timeline": "Dated events by category; diamonds: those the article cites.",
    },
}
