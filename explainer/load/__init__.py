"""Read and validate ``data/`` and ``geo/``.

Every problem is collected (never the first one only) as a :class:`Problem`
printed ``path:row:column: message``, where ``row`` is the line an editor sees
in a CSV or YAML file, or ``feature N`` in a GeoJSON file.

One job per module; everything is imported from here (``from explainer.load import ...``), the few
underscored helpers that datadiff.py, add_snapshot.py and the tests use included (``_x as _x`` below):

- ``problems.py``   Problem, DataError, size limits, file names, parsed-data types
- ``text.py``       reading a file safely (links, size, permissions), decoding, half-saved files
- ``messages.py``   pydantic's errors in an editor's words, renamed fields
- ``csvfile.py``    CSV as spreadsheets write it: separator, header, rows, broken rows
- ``cells.py``      what spreadsheets do to cells: thousands separators, date forms, letters lost to '?'
- ``yamlfile.py``   YAML documents, each problem on the line of its key
- ``geojson.py``    GeoJSON layers: features, geometry, properties, vertex limits
- ``areas.py``      areas of control per date, completed from the geometry
- ``crossfile.py``  rules across files: unique ids, references, settlements against places
- ``prose.py``      warnings for ISO dates in texts readers see
- ``articles.py``   articles: the default one and data/articles/<id>.yaml, against the tables
- ``rereports.py``  re-reports against the claims they repeat: drift labels agree with the fields
- ``hashing.py``    the data version (of the records), content hashes, the files the bundle depends on
- ``bundle.py``     the Bundle and load_bundle, which runs all of the above
"""

from __future__ import annotations

from .areas import AREA_COLUMNS, AREA_CRS, AreaRow, complete_areas, polygon_areas_km2
from .articles import ARTICLES_DIR, DEFAULT_ARTICLE, article_files
from .bundle import DATED_KINDS, Bundle, claims_frame, load_bundle
from .crossfile import REFERENCES, SAME_PLACE_DEG
from .csvfile import CSV_DELIMITERS, DELIMITER_NAMES, Broken, read_csv
from .csvfile import _delimiter as _delimiter
from .geojson import GEOMETRY_TYPES, MAX_PROPERTY_DEPTH, POLYGONS, TEXT_PROPERTIES, read_geojson
from .hashing import _LAYER_FILE as _LAYER_FILE
from .hashing import content_hash, records_hash, sources_hash, watched_files
from .messages import PATTERN_HINTS, renamed_message
from .problems import (
    ARTICLE_FILE,
    DATA_FILES,
    JSON,
    MANIFEST_FILE,
    MAX_FILE_BYTES,
    MAX_GEO_BYTES,
    MAX_ROWS,
    MAX_VERTICES,
    NESTED_TOO_DEEP,
    SITE_FILE,
    DataError,
    Loc,
    Problem,
    Rows,
)
from .prose import ISO_DATE_IN_PROSE, PROSE_FIELDS, is_prose
from .text import FALLBACK_ENCODINGS, MIXED_UTF8, SAVE_AS_UTF8, SAVE_AS_UTF8_TEXT, Decoded
from .text import _open_problem as _open_problem
from .text import _read_bytes as _read_bytes
from .yamlfile import read_yaml

__all__ = [
    "ARTICLES_DIR",
    "DEFAULT_ARTICLE",
    "article_files",
    "AREA_COLUMNS",
    "AREA_CRS",
    "ARTICLE_FILE",
    "CSV_DELIMITERS",
    "DATA_FILES",
    "DATED_KINDS",
    "DELIMITER_NAMES",
    "FALLBACK_ENCODINGS",
    "GEOMETRY_TYPES",
    "ISO_DATE_IN_PROSE",
    "JSON",
    "MANIFEST_FILE",
    "MAX_FILE_BYTES",
    "MAX_GEO_BYTES",
    "MAX_PROPERTY_DEPTH",
    "MAX_ROWS",
    "MAX_VERTICES",
    "MIXED_UTF8",
    "NESTED_TOO_DEEP",
    "PATTERN_HINTS",
    "POLYGONS",
    "PROSE_FIELDS",
    "REFERENCES",
    "SAME_PLACE_DEG",
    "SAVE_AS_UTF8",
    "SAVE_AS_UTF8_TEXT",
    "SITE_FILE",
    "TEXT_PROPERTIES",
    "AreaRow",
    "Broken",
    "Bundle",
    "DataError",
    "Decoded",
    "Loc",
    "Problem",
    "Rows",
    "claims_frame",
    "complete_areas",
    "content_hash",
    "is_prose",
    "load_bundle",
    "polygon_areas_km2",
    "read_csv",
    "read_geojson",
    "read_yaml",
    "renamed_message",
    "records_hash",
    "sources_hash",
    "watched_files",
]
