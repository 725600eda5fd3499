"""/desk: the editors' desk, served at /desk and linked from nowhere (``HIDDEN``).

Log in, download the safe workbook, upload it (or a CSV) into a staging copy, read the validator's
problems with their rows, review the diff, preview the casualty chart and the claims from the staged
data, write the corrections-log row, publish; the kept versions with a roll-back each; log out.
A session without a login sees the login form and nothing else. The work itself is done by
``explainer.desk`` (shared with ``python -m explainer desk``); this page only draws it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd
import streamlit as st

from explainer import figures as F
from explainer import i18n
from explainer import rights as R
from explainer.datadiff import FileDiff
from explainer.desk import publish as P
from explainer.desk import snapshots as SN
from explainer.desk import staging as S
from explainer.desk.accounts import Accounts, LoginRefused, Session
from explainer.desk.audit import audit
from explainer.desk.messages import describe
from explainer.desk.workbook import MIME, build_workbook, read_table
from explainer.figures import View
from explainer.figures.casualties import _casualties as build_casualties_uncached
from explainer.load import DATA_FILES, Bundle, Problem
from explainer.store import default_dirs
from explainer.ui import state as UI
from explainer.ui.charts import chart
from explainer.ui.device import phone
from explainer.ui.parts import heading
from explainer.ui.text import md

MENU = 90  # after the readers' views (explainer.ui.registry)
HIDDEN = True  # served at /desk, in no navigation
MAX_PROBLEMS_SHOWN = 30
TOKEN, STAGING, UPLOADS, FLASH, CHECKED = "_desk_token", "_desk_staging", "_desk_uploads", "_desk_flash", "_desk_checked"
PREVIEW = "_desk_preview"
SNAPS, SNAP_UPLOADS = "_desk_snapshots", "_desk_snap_uploads"


@dataclass(frozen=True)
class Checked:
    version: str  # the staged data version this result is for
    bundle: Bundle | None
    problems: list[Problem]
    diffs: list[FileDiff]


def render(bundle: Bundle, state: UI.State) -> None:
    tr = i18n.bind(state.lang)
    heading(tr("desk_heading"))
    accounts = Accounts()
    session = accounts.session(st.session_state.get(TOKEN))
    if session is None:
        if st.session_state.get(TOKEN):  # it was a session: it expired or its account went away
            _forget()
            st.warning(tr("desk_login_expired"))
        _login(accounts, tr)
        return
    top = st.columns([4, 1], vertical_alignment="center")
    top[0].caption(md(tr("desk_signed_in", name=session.editor)))
    if top[1].button(tr("desk_logout"), key="desk_logout"):
        _logout(accounts, session)
        st.rerun()
    for kind, text in st.session_state.pop(FLASH, []):
        (st.success if kind == "ok" else st.error)(md(text))
    staging = _staging(session)
    _uploader_text(tr)
    _desk(staging, session, tr)


# --------------------------------------------------------------------------- login


def _client() -> str:
    try:
        return st.context.ip_address or ""
    except Exception:  # no request context (AppTest)
        return ""


def _login(accounts: Accounts, tr: i18n.Bound) -> None:
    st.write(md(tr("desk_intro")))
    if not accounts.names():
        st.info(md(tr("desk_login_none")))
    with st.form("desk_login", clear_on_submit=True):  # the password does not stay in the session's widget state
        st.subheader(md(tr("desk_login_title")), anchor=False)
        name = st.text_input(tr("desk_login_name"), key="desk_name", autocomplete="username")
        password = st.text_input(tr("desk_login_password"), type="password", key="desk_password", autocomplete="current-password")
        submitted = st.form_submit_button(tr("desk_login_submit"), type="primary")
    if not submitted:
        return
    client = _client()
    try:
        session = accounts.login(name, password, client=client)
    except LoginRefused as e:
        audit(name.strip().lower() or "?", "login_refused", reason=e.reason, client=client)
        if e.reason == "throttled":
            st.error(tr("desk_login_throttled", s=math.ceil(e.retry_after)))
        else:
            st.error(tr("desk_login_wrong"))
        return
    audit(session.editor, "login", client=client)
    st.session_state[TOKEN] = session.token
    st.rerun()


def _forget() -> None:
    for k in (TOKEN, STAGING, CHECKED, FLASH, PREVIEW, SNAPS):
        st.session_state.pop(k, None)


def _logout(accounts: Accounts, session: Session) -> None:
    staging = S.open_staging(str(st.session_state.get(STAGING, "")))
    if staging is not None:
        S.discard(staging)
    accounts.logout(session.token)
    audit(session.editor, "logout")
    _forget()


# --------------------------------------------------------------------------- staging


def _staging(session: Session) -> S.Staging:
    """This session's staging folder: opened again on each run, begun at the first."""
    staging = S.open_staging(str(st.session_state.get(STAGING, "")))
    if staging is None or staging.editor != session.editor:
        data, geo = default_dirs()
        staging = S.begin(session.editor, data, geo)
        st.session_state[STAGING] = staging.id
        audit(session.editor, "staging", before=staging.base_version, staging=staging.id)
    return staging


def _restart(staging: S.Staging, session: Session) -> None:
    S.discard(staging)
    st.session_state.pop(STAGING, None)
    st.session_state.pop(CHECKED, None)
    _staging(session)


def _checked(staging: S.Staging) -> Checked:
    """Check and diff, once per staged data version."""
    version = staging.version()
    done = st.session_state.get(CHECKED)
    if isinstance(done, Checked) and done.version == version:
        return done
    bundle, problems = staging.check()
    done = Checked(version, bundle, problems, P.review(staging))
    st.session_state[CHECKED] = done
    return done


def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, text))


# --------------------------------------------------------------------------- the desk


def _desk(staging: S.Staging, session: Session, tr: i18n.Bound) -> None:
    changed = staging.live_changes()
    if changed:
        with st.container(key="desk-live-changed"):
            st.warning(md(tr("desk_live_changed", files=", ".join(changed))))
            for d in P.live_review(staging):  # say what changed, row by row
                name = d.path.split("/", 1)[1]
                counts = tr("desk_diff_file", file=name, added=len(d.added), changed=len(d.changed), removed=len(d.removed))
                keys = ", ".join([*d.added, *d.changed, *d.removed][:12])
                st.markdown(f"- {md(counts)}" + (f" ({md(keys)})" if keys else ""))
        if st.button(tr("desk_restart"), key="desk_restart"):
            _restart(staging, session)
            st.rerun()
    else:
        st.caption(md(tr("desk_staging_note", version=staging.base_version)))
    done = _checked(staging)

    st.header(md(tr("desk_step_download")), anchor=False)
    st.caption(md(tr("desk_download_help")))
    st.download_button(
        tr("desk_download"),
        data=lambda: build_workbook(staging.data, tr.locale),  # built when clicked, from the staged tables
        file_name="kursk-data.xlsx",
        mime=MIME,
        key="desk_download",
        on_click="ignore",
    )

    st.header(md(tr("desk_step_upload")), anchor=False)
    _upload(staging, session, tr)

    st.header(md(tr("desk_step_snapshot")), anchor=False)
    _snapshots(staging, session, tr)

    st.header(md(tr("desk_step_check")), anchor=False)
    _problems(staging, done, tr)

    st.header(md(tr("desk_step_review")), anchor=False)
    real = [d for d in done.diffs if not (d.note or "").startswith("same records")]
    _review(staging, real, tr)

    st.header(md(tr("desk_step_rights")), anchor=False)
    _rights(staging, session, tr)

    if done.bundle is not None and real:
        st.header(md(tr("desk_step_preview")), anchor=False)
        _preview(done.bundle, real, tr, staging.geo)
        st.header(md(tr("desk_step_publish")), anchor=False)
        _publish(staging, session, real, tr)

    st.header(md(tr("desk_step_versions")), anchor=False)
    _versions(staging, session, tr)


def _upload(staging: S.Staging, session: Session, tr: i18n.Bound) -> None:
    n = int(st.session_state.get(UPLOADS, 0))  # a new key per upload empties the widget for the next one
    f = st.file_uploader(tr("desk_upload_label"), type=["xlsx", "csv"], key=f"desk_upload_{n}")
    if f is None:
        return
    before = staging.version()
    try:
        up = staging.upload(f.name, f.getvalue())
    except S.UploadError as e:
        _flash("error", tr(f"desk_upload_{e.code}", **e.kw))
        audit(session.editor, "upload_refused", staging=staging.id, upload=f.name, reason=e.code)
    else:
        _flash("ok", tr("desk_uploaded", files=", ".join(up.written)) if up.written else tr("desk_upload_same"))
        if up.ignored:
            _flash("ok", tr("desk_upload_ignored", sheets=", ".join(up.ignored)))
        audit(
            session.editor, "upload", before=before, after=staging.version(), staging=staging.id, upload=f.name, files=up.written
        )
    st.session_state[UPLOADS] = n + 1
    st.rerun()


def _problems(staging: S.Staging, done: Checked, tr: i18n.Bound) -> None:
    if not done.problems:
        st.success(md(tr("desk_valid")))
        return
    with st.container(key="desk-problems"):
        st.error(md(i18n.count(tr.locale, "desk_problems", len(done.problems))))
        for p in done.problems[:MAX_PROBLEMS_SHOWN]:
            st.markdown(f"- {md(describe(p, tr.locale))}")
            name = Path(p.path).name
            row = staging.row(name, p.row) if isinstance(p.row, int) and name in DATA_FILES else None
            if row:
                st.caption(md(tr("desk_row_shown")))
                st.dataframe(pd.DataFrame([row]), hide_index=True, width="stretch")
        if len(done.problems) > MAX_PROBLEMS_SHOWN:
            st.caption(md(tr("desk_problems_more", n=len(done.problems) - MAX_PROBLEMS_SHOWN)))


def _added_rows(staging: S.Staging, d: FileDiff) -> pd.DataFrame | None:
    name = d.path.split("/", 1)[1]
    if name not in DATA_FILES or not d.added:
        return None
    rows = read_table(staging.data / name)
    header, body = rows[0], [dict(zip(rows[0], r)) for r in rows[1:] if any(c.strip() for c in r)]
    key = next((k for k in ("id", "step", "date") if k in header), header[0])
    added = {a.split(" #")[0] for a in d.added}
    return pd.DataFrame([r for r in body if r.get(key, "").strip() in added], columns=header)


def _review(staging: S.Staging, diffs: list[FileDiff], tr: i18n.Bound) -> None:
    if not diffs:
        st.info(md(tr("desk_no_change")))
        return
    with st.container(key="desk-diff"):
        for d in diffs:
            name = d.path.split("/", 1)[1]
            st.markdown(
                f"**{md(tr('desk_diff_file', file=name, added=len(d.added), changed=len(d.changed), removed=len(d.removed)))}**"
            )
            _snapshot_rows(staging, d, tr)
            added = _added_rows(staging, d)
            if added is not None and len(added):
                st.caption(md(tr("desk_diff_added")))
                st.dataframe(added, hide_index=True, width="stretch")
            if d.changed:
                st.caption(md(tr("desk_diff_changed")))
                cols = [tr("desk_col_row"), tr("desk_col_field"), tr("desk_col_before"), tr("desk_col_after")]
                table = [(k, f, b, a) for k, fields in d.changed.items() for f, b, a in fields]
                st.dataframe(pd.DataFrame(table, columns=cols), hide_index=True, width="stretch")
            if d.removed:
                st.caption(md(tr("desk_diff_removed", keys=", ".join(d.removed))))


def _preview(staged: Bundle, diffs: list[FileDiff], tr: i18n.Bound, geo: Path) -> None:
    with st.container(key="desk-preview", border=True):
        st.warning(md(tr("desk_preview_note")))
        _preview_snapshots(staged, diffs, tr, geo)
        chart(_preview_chart(staged, tr.locale, F.PHONE_WIDTH_PX if phone() else F.PLOT_WIDTH_PX), tr, key="desk_cas_chart")
        touched = {k for d in diffs if d.path.endswith("/claims.csv") for k in (*d.added, *d.changed)}
        claims = [c for c in staged.claims if c.id in touched]
        if claims:
            st.caption(md(tr("desk_preview_claims")))
            shown = F.local_dates(F.claims_table(staged, claims, tr.locale), tr.locale)
            st.dataframe(shown, hide_index=True, width="stretch", key="desk_claims")


def _preview_chart(staged: Bundle, locale: str, width: int) -> View:
    """The casualty chart of the staged data, kept in this session. Built with the builder itself rather
    than ``F.build_casualties``: that one keeps one data version in the readers' shared figure cache
    (figures/cache.py), and a preview would push the live version out of it on every rerun of the desk."""
    key = (staged.version, locale, width)
    kept = st.session_state.get(PREVIEW)
    if isinstance(kept, tuple) and kept[0] == key:
        return cast(View, kept[1])
    view = build_casualties_uncached(staged, locale, None, None, plot_width=width)
    st.session_state[PREVIEW] = (key, view)
    return view


def _publish(staging: S.Staging, session: Session, diffs: list[FileDiff], tr: i18n.Bound) -> None:
    st.caption(md(tr("desk_changelog_help")))
    proposed = P.changelog_added(diffs)  # the editor's upload carries its own row already
    with st.form("desk_publish"):
        day = st.date_input(tr("desk_changelog_date"), value=dt.date.today(), max_value=dt.date.today(), key="desk_cl_date")
        v = staging.version()
        fr = st.text_area(
            tr("desk_changelog_fr"),
            value=_snapshot_words(P.propose_change(diffs, "fr-CH"), diffs, "fr-CH"),
            key=f"desk_cl_fr_{v}",
            disabled=proposed,
        )
        en = st.text_area(
            tr("desk_changelog_en"),
            value=_snapshot_words(P.propose_change(diffs, "en"), diffs, "en"),
            key=f"desk_cl_en_{v}",
            disabled=proposed,
        )
        submitted = st.form_submit_button(tr("desk_publish"), type="primary")
    if not submitted:
        return
    log = staging.data / P.CHANGELOG
    old = log.read_bytes() if log.exists() else None
    if not proposed:
        if not (fr.strip() and en.strip()):
            st.error(tr("desk_changelog_empty"))
            return
        P.add_changelog(staging, day if isinstance(day, dt.date) else dt.date.today(), fr, en)
    try:
        res = P.publish(staging, session.editor)
    except P.PublishError as e:
        if old is not None and not proposed:
            log.write_bytes(old)  # a refused publish leaves the working copy as it was
        audit(session.editor, "publish_refused", staging=staging.id, reason=e.code)
        st.error(md(tr(f"desk_refused_{e.code}", **e.kw)))
        return
    _flash("ok", tr("desk_published", version=res.after, files=", ".join(res.files)))
    _restart(staging, session)
    st.rerun()


def _rights(staging: S.Staging, session: Session, tr: i18n.Bound) -> None:
    """Each layer's rights as staged (what publishing would publish); a not-cleared layer takes a decision."""
    manifest = R.read(staging.geo)
    if manifest is None:  # the check step above lists the manifest's problems
        return
    st.caption(md(tr("desk_rights_help")))
    with st.container(key="desk-rights"):
        for lyr in manifest.layers:
            r = lyr.rights
            if r.status == "open_licence":
                status = tr("desk_rights_open_licence", terms=tr.field(r, "terms"))
            elif r.status == "cleared":
                day = tr.date(r.cleared_on, short=True) if r.cleared_on else ""
                status = tr("desk_rights_cleared", by=r.cleared_by or "", day=day, terms=tr.field(r, "terms"))
            elif r.decision is None:
                status = tr("desk_rights_not_cleared")
            else:
                d = r.decision
                status = tr("desk_rights_decided", by=d.by, day=tr.date(d.on, short=True), reason=d.reason)
            mark = "⚠️ " if not r.publishable else ""
            st.markdown(f"**{md(tr.field(lyr, 'title'))}** — {mark}{md(status)}")
            st.caption(f"{md(tr('desk_rights_credit'))}{' :' if tr.lang == 'fr' else ':'} {md(tr.field(lyr, 'attribution'))}")
            if r.status != "not_cleared":
                continue
            if r.decision is not None:
                if st.button(tr("desk_rights_withdraw"), key=f"desk_rights_withdraw_{lyr.id}"):
                    R.withdraw_decision(staging.geo, lyr.id)
                    audit(session.editor, "rights_withdrawn", staging=staging.id, layer=lyr.id)
                    _flash("ok", tr("desk_rights_withdrawn", layer=tr.field(lyr, "title")))
                    st.rerun()
                continue
            with st.form(f"desk_rights_{lyr.id}"):
                reason = st.text_area(tr("desk_rights_reason"), key=f"desk_rights_reason_{lyr.id}")
                submitted = st.form_submit_button(tr("desk_rights_decide"))
            if submitted:
                if not reason.strip():
                    st.error(tr("desk_rights_reason_empty"))
                    continue
                R.record_decision(staging.geo, lyr.id, session.editor, reason, dt.date.today())
                audit(session.editor, "rights_decision", staging=staging.id, layer=lyr.id, reason=" ".join(reason.split()))
                _flash("ok", tr("desk_rights_recorded", layer=tr.field(lyr, "title")))
                st.rerun()


def _versions(staging: S.Staging, session: Session, tr: i18n.Bound) -> None:
    kept = P.versions()
    if not kept:
        st.caption(md(tr("desk_no_versions")))
        return
    data, geo = staging.live
    live = S.data_version(data, geo)
    with st.container(key="desk-versions"):
        for v in kept[:20]:
            cols = st.columns([5, 2], vertical_alignment="center")
            when = dt.datetime.fromisoformat(v.when)
            line = tr(
                "desk_version_line",
                when=f"{tr.date(when.date(), short=True)} {when:%H:%M} UTC",
                editor=v.editor,
                kind=tr(f"desk_kind_{v.kind}"),
                version=v.version,
            )
            change = v.change_fr if tr.lang == "fr" else v.change_en
            current = f" — **{md(tr('desk_version_current'))}**" if v.version == live else ""
            cols[0].markdown(f"{md(line)}{current}" + (f"  \n{md(change)}" if change else ""))
            if cols[1].button(tr("desk_rollback"), key=f"desk_rb_{v.id}", disabled=v.version == live):
                try:
                    res = P.rollback(v.id, session.editor, data, geo)
                except P.PublishError as e:
                    st.error(md(tr(f"desk_refused_{e.code}", **e.kw)))
                    return
                _flash("ok", tr("desk_rolled_back", version=res.after))
                _restart(staging, session)
                st.rerun()


# --------------------------------------------------------------------------- snapshots


def _staged_snapshots(staging: S.Staging) -> list[SN.Snapshot] | SN.SnapshotError:
    """The staged control snapshots, read once per staged data version."""
    version = staging.version()
    kept = st.session_state.get(SNAPS)
    if isinstance(kept, tuple) and kept[0] == version:
        return cast("list[SN.Snapshot] | SN.SnapshotError", kept[1])
    try:
        shots: list[SN.Snapshot] | SN.SnapshotError = staging.snapshots()
    except SN.SnapshotError as e:
        shots = e
    st.session_state[SNAPS] = (version, shots)
    return shots


def _snapshot_error(e: SN.SnapshotError, tr: i18n.Bound) -> None:
    st.error(md(tr(f"desk_snapshot_{e.code}", **e.kw)))
    for p in e.problems[:MAX_PROBLEMS_SHOWN]:
        st.markdown(f"- {md(describe(p, tr.locale))}")


def _snapshots(staging: S.Staging, session: Session, tr: i18n.Bound) -> None:
    """Add, replace or remove a control snapshot in the staging copy: the outline drawn over the
    previous snapshot of its kind before anything is written."""
    st.caption(md(tr("desk_snapshot_help")))
    shots = _staged_snapshots(staging)
    if isinstance(shots, SN.SnapshotError):
        _snapshot_error(shots, tr)
        return
    lyr = SN.control_layer(staging.geo, staging.data)
    lo, hi = lyr.window or (None, None)
    last = shots[-1].date if shots else None
    proposed = last + dt.timedelta(days=1) if last is not None else hi
    if proposed is not None and hi is not None and proposed > hi:
        proposed = hi
    with st.container(key="desk-snapshot", border=True):
        action = st.radio(
            tr("desk_snapshot_action"),
            SN.ACTIONS,
            format_func=lambda a: tr(f"desk_snapshot_{a}"),
            horizontal=True,
            key="desk_snap_action",
        )
        cols = st.columns(2)
        n = int(st.session_state.get(SNAP_UPLOADS, 0))  # a new key per change: the next one starts afresh
        day = cols[0].date_input(
            tr("desk_snapshot_date_label"),
            value=proposed,
            min_value=lo,
            max_value=hi,
            format="YYYY-MM-DD",
            key=f"desk_snap_date_{staging.id}_{n}",
        )
        kind = cols[1].selectbox(
            tr("desk_snapshot_kind_label"),
            list(SN.KINDS.values()),
            format_func=lambda k: tr(f"control_{k}"),
            key="desk_snap_kind",
        )
        if not isinstance(day, dt.date):
            return
        current = next((s for s in shots if s.date == day and s.kind == kind), None)
        before = SN.previous(shots, day, kind)
        if current is not None:
            st.caption(md(tr("desk_snapshot_current", date=tr.date(day), area=_km2(current.area_km2, tr), source=current.source)))
        elif action != "add":
            st.warning(md(tr("desk_snapshot_missing", date=tr.date(day))))
            return
        polygon = None
        source = upload_name = ""
        if action != "remove":
            source = st.text_input(
                tr("desk_snapshot_source_label"), max_chars=SN.MAX_SOURCE_CHARS, key=f"desk_snap_source_{staging.id}_{n}"
            )
            f = st.file_uploader(
                tr("desk_snapshot_file", limit=SN.MAX_UPLOAD_BYTES // 1_000_000),
                type=["geojson", "json", "zip"],
                key=f"desk_snap_file_{n}",
            )
            if f is None:
                return
            upload_name = f.name
            try:
                polygon = SN.read_upload(f.name, f.getvalue())
            except SN.SnapshotError as e:
                _snapshot_error(e, tr)
                return
            found = SN.problems_of(polygon, lyr)
            if found:
                _snapshot_error(SN.SnapshotError("invalid", "", found), tr)
                return
        if action == "add" and current is not None:
            st.warning(md(tr("desk_snapshot_exists", date=tr.date(day))))
            return
        shown = polygon.geometry if polygon is not None else current.geometry if current is not None else None
        old = current if action == "replace" else before
        _snapshot_figure(shown, old, day, action, tr, key="desk_snap_figure", geo=staging.geo)
        if polygon is not None:
            _snapshot_areas(polygon, old, tr)
        do = st.button(
            tr(f"desk_snapshot_do_{action}"),
            type="primary",
            key="desk_snap_do",
            disabled=action != "remove" and not source.strip(),
        )
        if action != "remove" and not source.strip():
            st.caption(md(tr("desk_snapshot_need_source")))
    if not do:
        return
    version = staging.version()
    try:
        staging.snapshot(action, day, kind, polygon, source)
    except SN.SnapshotError as e:
        _snapshot_error(e, tr)
        audit(
            session.editor, "snapshot_refused", staging=staging.id, change=action, date=day.isoformat(), kind=kind, reason=e.code
        )
        return
    _flash("ok", tr(f"desk_snapshot_done_{action}", date=tr.date(day), kind=tr(f"control_{kind}")))
    audit(
        session.editor,
        f"snapshot_{action}",
        before=version,
        after=staging.version(),
        staging=staging.id,
        date=day.isoformat(),
        kind=kind,
        source=source,
        upload=upload_name,
    )
    st.session_state[SNAP_UPLOADS] = int(st.session_state.get(SNAP_UPLOADS, 0)) + 1
    st.rerun()


def _km2(area: float | None, tr: i18n.Bound) -> str:
    return i18n.num(area, tr.locale, digits=1) if area is not None else "–"


def _snapshot_areas(polygon: SN.Polygon, old: SN.Snapshot | None, tr: i18n.Bound) -> None:
    if old is not None and old.area_km2 is not None:
        diff = polygon.area_km2 - old.area_km2
        sign = "+" if round(diff, 1) > 0 else "−" if round(diff, 1) < 0 else "±"
        text = tr(
            "desk_snapshot_area",
            area=_km2(polygon.area_km2, tr),
            date=tr.date(old.date),
            prev=_km2(old.area_km2, tr),
            diff=f"{sign}{i18n.num(abs(round(diff, 1)), tr.locale, digits=1)}",
        )
    else:
        text = tr("desk_snapshot_area_alone", area=_km2(polygon.area_km2, tr))
    st.markdown(md(text))
    if polygon.changed:
        what = ", ".join(tr(f"desk_snapshot_changed_{c}") for c in polygon.changed)
        st.caption(md(tr("desk_snapshot_normalised", what=what)))


def _rings(geometry: dict[str, object]) -> tuple[list[float | None], list[float | None]]:
    """A polygon's rings as one line with gaps (lon, lat): exteriors and holes wind in opposite
    directions (RFC 7946), so a filled trace leaves the holes open."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for poly in cast("list[list[list[list[float]]]]", polys):
        for ring in poly:
            xs += [float(c[0]) for c in ring] + [None]
            ys += [float(c[1]) for c in ring] + [None]
    return xs, ys


def _lines(geometry: dict[str, object]) -> tuple[list[float | None], list[float | None]]:
    lines = geometry["coordinates"] if geometry["type"] == "MultiLineString" else [geometry["coordinates"]]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for line in cast("list[list[list[float]]]", lines) if geometry["type"] in ("LineString", "MultiLineString") else []:
        xs += [float(c[0]) for c in line] + [None]
        ys += [float(c[1]) for c in line] + [None]
    return xs, ys


def _snapshot_figure(
    shown: dict[str, object] | None,
    old: SN.Snapshot | None,
    day: dt.date,
    action: str,
    tr: i18n.Bound,
    key: str,
    geo: Path,
) -> None:
    """The outline over the previous snapshot's (or, to replace or remove, over the current one)."""
    import plotly.graph_objects as go

    from explainer import colours as K

    fig = go.Figure()
    lats: list[float] = []
    lons: list[float] = []
    if old is not None and old.geometry:
        xs, ys = _rings(old.geometry)
        label = "desk_snapshot_legend_current" if action != "add" and old.date == day else "desk_snapshot_legend_previous"
        fig.add_scatter(
            x=xs, y=ys, fill="toself", mode="lines", name=tr(label, date=tr.date(old.date)), hoverinfo="name",
            line=dict(color="#6E6E6E", width=1), fillcolor="rgba(140,140,140,0.35)",
        )  # fmt: skip
        lats += [y for y in ys if y is not None]
        lons += [x for x in xs if x is not None]
    if shown is not None and action != "remove":
        xs, ys = _rings(shown)
        colour, _ = K.CONTROL["ua_controlled"]
        fig.add_scatter(
            x=xs, y=ys, fill="toself", mode="lines", name=tr("desk_snapshot_legend_new", date=tr.date(day)), hoverinfo="name",
            line=dict(color=colour, width=2), fillcolor="rgba(31,95,168,0.30)",
        )  # fmt: skip
        lats += [y for y in ys if y is not None]
        lons += [x for x in xs if x is not None]
    elif shown is not None:
        xs, ys = _rings(shown)
        fig.data = ()
        fig.add_scatter(
            x=xs, y=ys, fill="toself", mode="lines", name=tr("desk_snapshot_legend_removed", date=tr.date(day)), hoverinfo="name",
            line=dict(color="#B2182B", width=2, dash="dash"), fillcolor="rgba(178,24,43,0.15)",
        )  # fmt: skip
        lats += [y for y in ys if y is not None]
        lons += [x for x in xs if x is not None]
    if not lats:
        return
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    pad = max(x1 - x0, y1 - y0, 0.2) * 0.25
    xs, ys = [], []
    for g in SN.context_lines(geo):  # the oblast's outline and the state border, for where it is
        gx, gy = _rings(g) if g["type"] in ("Polygon", "MultiPolygon") else _lines(g)
        xs += gx
        ys += gy
    if xs:
        fig.add_scatter(
            x=xs, y=ys, mode="lines", name=tr("desk_snapshot_legend_context"), hoverinfo="skip",
            line=dict(color="#9A9A9A", width=1),
        )  # fmt: skip
    mid = (y0 + y1) / 2
    fig.update_layout(
        height=360 if phone() else 460,
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0),
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        xaxis=dict(visible=False, range=[x0 - pad, x1 + pad]),
        yaxis=dict(
            visible=False, range=[y0 - pad, y1 + pad], scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid))
        ),  # lon/lat as on a map there
    )
    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False}, key=key, theme=None)


def _snapshot_rows(staging: S.Staging, d: FileDiff, tr: i18n.Bound) -> None:
    """The snapshots a change adds or changes, as a table an editor reads (date, area, km², source)."""
    if not d.path.startswith("geo/") or not (d.added or d.changed):
        return
    shots = _staged_snapshots(staging)
    if isinstance(shots, SN.SnapshotError):
        return
    keys = {*d.added, *d.changed}
    rows = [
        {
            tr("desk_col_date"): s.date.isoformat(),
            tr("desk_col_zone"): tr(f"control_{s.kind}"),
            tr("col_area_km2"): _km2(s.area_km2, tr),
            tr("desk_col_source"): s.source,
        }
        for s in shots
        if f"{s.date.isoformat()} {s.kind}" in keys
    ]
    if rows:
        st.caption(md(tr("desk_diff_snapshots")))
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _snapshot_words(text: str, diffs: list[FileDiff], locale: str) -> str:
    """A proposed corrections-log text with each control snapshot named as readers would name it
    ("the map's snapshot of 1 May 2025 (held by Ukraine)") instead of by its file and key."""
    tr = i18n.bind(locale)
    for d in diffs:
        if not d.path.startswith("geo/"):
            continue
        name = d.path.split("/", 1)[1]
        for key in [*d.added, *d.changed, *d.removed]:
            day_s, _, kind = key.partition(" ")
            try:
                day = dt.date.fromisoformat(day_s)
            except ValueError:
                continue
            text = text.replace(key, tr("desk_change_snapshot", date=tr.date(day), kind=tr(f"control_{kind}")))
        text = text.replace(name, tr("desk_change_map"))
    return text


def _uploader_text(tr: i18n.Bound) -> None:
    """Streamlit draws its uploaders' button and limits line in English: the button says it in the
    editor's language; the limits line goes (the labels name the types, a refusal names the limit)."""
    choose = json.dumps(tr("desk_upload_choose"), ensure_ascii=False)
    st.html(
        "<style>:has(+ [data-testid='stFileUploaderDropzoneInstructions']) button *"  # the empty uploader's button
        ":not([data-testid='stIconMaterial']){font-size:0}"
        f":has(+ [data-testid='stFileUploaderDropzoneInstructions']) button::after{{content:{choose};font-size:0.875rem}}"
        "[data-testid='stFileUploaderDropzoneInstructions']{display:none}</style>"
    )


def _preview_snapshots(staged: Bundle, diffs: list[FileDiff], tr: i18n.Bound, geo: Path) -> None:
    """Each changed control snapshot as readers will see it: its caption line, and its outline over the previous one."""
    control = next((lyr for lyr in staged.manifest.layers if lyr.kind == "control"), None)
    if control is None:
        return
    changed = [
        k for d in diffs if d.path == f"geo/{control.file}" for k in (*d.added, *d.changed, *d.removed)
    ]  # "2025-05-31 ua_controlled"
    for key in changed[:4]:
        day_s, _, kind = key.partition(" ")
        try:
            day = dt.date.fromisoformat(day_s)
        except ValueError:
            continue
        fc = staged.control.get(control.id, {}).get(day)
        feat = next((f for f in (fc or {}).get("features", []) if f["properties"].get("kind") == kind), None)
        earlier = [d for d in staged.dates(control.id) if d < day]
        old = None
        if earlier:
            prev = staged.control[control.id][earlier[-1]]
            pf = next((f for f in prev["features"] if f["properties"].get("kind") == kind), None)
            if pf is not None:
                old = SN.Snapshot(earlier[-1], kind, pf["properties"].get("area_km2"), "", pf["geometry"])
        line = tr("map_snapshot", source=F.snapshot_source(staged, control.id, day, tr.locale), date=tr.date(day))
        st.markdown(
            f"**{md(tr('desk_preview_snapshot', kind=tr(f'control_{kind}'), line=line))}**"
            if feat
            else f"**{md(tr('desk_preview_snapshot_removed', kind=tr(f'control_{kind}'), date=tr.date(day)))}**"
        )
        _snapshot_figure(feat["geometry"] if feat else None, old, day, "add", tr, key=f"desk_prev_snap_{key}", geo=geo)


if __name__ == "__main__":  # Streamlit ran this file itself (its pages/ folder convention): hand over to the router
    from explainer.ui.shell import main

    main()
