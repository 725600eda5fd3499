"""Articles checked against the data: ``data/article.yaml`` (the default one, whose claims ``claims.csv``
marks ``in_article``) and one file per further article in ``data/articles/`` (its id is the file's name).

Every article follows the same rules: the claims it quotes exist and were made by its day, the lead
graphic's rows compare one measure with what was known that day, and a re-report it is said to be
is its own printing of a figure (same address, same day, going back to one of the claims it quotes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from .. import model as m
from .problems import ARTICLE_FILE, Loc, Problem

ARTICLES_DIR = "articles"  # data/articles/<id>.yaml: one file per further article
DEFAULT_ARTICLE = Path(ARTICLE_FILE).stem  # the id of data/article.yaml: the article pages open on
ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")  # a file name readers see in ?article=


def article_files(data_dir: Path) -> list[tuple[str, Path]]:
    """(id, path) of every article file, the default one first, the others by name. Never raises."""
    out = [(DEFAULT_ARTICLE, data_dir / ARTICLE_FILE)]
    try:
        others = sorted(p for p in (data_dir / ARTICLES_DIR).iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError:
        others = []
    return out + [(p.stem, p) for p in others]


def check_id(article_id: str, rel: str, problems: list[Problem]) -> bool:
    """An article's id (its file name) as it appears in a reader's address."""
    if article_id == DEFAULT_ARTICLE:
        problems.append(
            Problem(rel, None, None, f"the name '{article_id}' is the default article's (data/{ARTICLE_FILE}): rename the file")
        )
        return False
    if not ARTICLE_ID.match(article_id):
        problems.append(
            Problem(
                rel,
                None,
                None,
                f"'{article_id}' cannot name an article: use lower-case letters, digits and hyphens "
                "(e.g. fox-news-2025-11-14.yaml)",
            )
        )
        return False
    return True


def check_article(
    article: m.Article,
    arel: str,
    line_of: Callable[[Loc], int | None],
    claims: Mapping[str, m.Claim],
    broken_claims: set[str],
    rereports: Mapping[str, m.Rereport],
    problems: list[Problem],
) -> set[str]:
    """The rules between one article and the tables; returns the ids of the claims it quotes."""
    cited: set[str] = set()

    def add(loc: Loc, column: str, message: str) -> None:
        problems.append(Problem(arel, line_of(loc), column, message))

    for i, ac in enumerate(article.claims):
        loc: Loc = ("claims", i, "claim_ids")
        for cid in ac.claim_ids:
            cited.add(cid)
            if cid in broken_claims:
                continue
            if cid not in claims:
                add(loc, f"claims.{ac.id}.claim_ids", f"unknown claim '{cid}': not an id in claims.csv")
            elif claims[cid].date > article.published:
                add(
                    loc,
                    f"claims.{ac.id}.claim_ids",
                    f"claim '{cid}' is dated {claims[cid].date.isoformat()}, after the article "
                    f"({article.published.isoformat()}): an article quotes what was said by its day",
                )
        for rid in ac.rereport_ids:
            rloc: Loc = ("claims", i, "rereport_ids")
            col = f"claims.{ac.id}.rereport_ids"
            r = rereports.get(rid)
            if r is None:
                add(rloc, col, f"unknown re-report '{rid}': not an id in rereports.csv")
            elif r.origin not in ac.claim_ids:
                add(rloc, col, f"re-report '{rid}' goes back to {r.origin}, which is not in this claim's claim_ids")
            elif r.url != article.source or r.date != article.published:
                add(
                    rloc,
                    col,
                    f"re-report '{rid}' is {r.url} on {r.date.isoformat()}, not this article "
                    f"({article.source} on {article.published.isoformat()})",
                )
    if article.lead is not None:
        for i, cmp in enumerate(article.lead.compare):
            for j, cid in enumerate((cmp.claim, *cmp.known)):
                col = "claim" if j == 0 else "known"
                where: Loc = ("lead", "compare", i, col) if j == 0 else ("lead", "compare", i, "known", j - 1)
                if cid in broken_claims:
                    continue
                if cid not in claims:
                    add(where, f"lead.compare.{i}.{col}", f"unknown claim '{cid}': not an id in claims.csv")
                elif j == 0 and cid not in cited:
                    add(
                        where,
                        f"lead.compare.{i}.claim",
                        f"claim '{cid}' is not one of the article's claims (claims.*.claim_ids)",
                    )
                elif j > 0 and cmp.claim in claims and claims[cid].measure != claims[cmp.claim].measure:
                    add(
                        where,
                        f"lead.compare.{i}.known",
                        f"claim '{cid}' measures {claims[cid].measure}, the compared figure "
                        f"{claims[cmp.claim].measure}: one row compares one measure",
                    )
                elif j > 0 and claims[cid].date > article.published:
                    add(
                        where,
                        f"lead.compare.{i}.known",
                        f"claim '{cid}' is dated {claims[cid].date.isoformat()}, after the "
                        "article: 'known' lists what was known on the article's day",
                    )
    return cited
