"""The editors' desk: keep the data current without a terminal (the page ``pages/desk.py`` and
``python -m explainer desk ...`` share this package; nothing here imports Streamlit).

One job per module:

- ``store.py``     where the desk keeps its files (``$EXPLAINER_DESK_DIR`` or ``.desk/``, outside data/),
                   small JSON files written atomically under a lock
- ``accounts.py``  editor accounts (argon2id hashes), sessions with an expiry, throttled wrong passwords
- ``audit.py``     the audit log: one JSON line per action (who, when, what, data versions before/after)
- ``staging.py``   a staging copy of the live folders per editor session; uploads (.xlsx, .csv) go there only
- ``workbook.py``  the safe workbook: every table as typed text, drop-down lists, rules in header comments
- ``publish.py``   check, review (diff), publish atomically under a lock, versions and roll back
"""
