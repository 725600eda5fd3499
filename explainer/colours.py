"""Every colour the charts use, by meaning, and one colour per claimant.

Claimants are coloured by side: one hue family per side (Ukraine blue, South Korea green, US and
UK purple, Russia red, North Korea brown, others olive grey), so a reader sees at a glance whose
figure it is, and a shade per claimant within its family. Colour alone cannot keep a side's many
claimants apart, nor blue from purple or green from olive for a deuteranope: two claimants drawn
on the same chart get colours at least MIN_DELTA_E apart (CIEDE2000, also under simulated
deuteranopia), or else a second channel, the marker's variant (a dot in the marker, a dashed range).
See ``claimant_styles``; tests/test_graphics.py checks every pair with colour-science.
"""

from __future__ import annotations

from dataclasses import dataclass

from .load import Bundle

PAPER = "#FFFFFF"  # the page and chart background
INK = "#222222"  # text and place dots
MUTED = "#595959"  # secondary text, 7:1 on white
CAPTION = "#4A4A4A"  # captions (sources, text alternatives), 8.9:1 on white
FOCUS = "#1F5FA8"  # the keyboard focus ring
# A live embed on a dark host page (?theme=dark|auto): the static embeds' dark palette (embed.css).
# Text on DARK_BG: DARK_FG 15:1, DARK_MUTED 10:1, DARK_LINK 8.6:1. Charts stay light cards on it.
DARK_BG = "#161616"
DARK_FG = "#E8E8E8"
DARK_MUTED = "#C2C2C2"
DARK_LINK = "#8CB8FF"
DARK_LINE = "#555555"
GRID = "#E5E5E5"
GRID_FAINT = "#F0F0F0"
LAND = "#F4F1EA"
OBLAST_FILL = "#FFFDF7"
OBLAST_LINE = "#A39D90"  # light: the dark line is the international border
ADMIN1_LINE = "#C8C3B8"
BORDER = "#333333"
HALO = "#FFFFFF"
NPP = "#AA4499"
EVENT = "#D55E00"
ARTICLE_LINE = {"color": "#000000", "width": 1.2, "dash": "dot"}
SELECTED_LINE = {"color": "#333333", "width": 2}  # solid, never one of the category colours
AREA_LINE = "#1F5FA8"
AREA_FILL = "rgba(31,95,168,0.12)"
AREA_GREY = "#767676"
CONTROL = {"ua_controlled": ("#1F5FA8", 0.55), "grey_zone": ("#8C8C8C", 0.45)}
ADVANCES = ("#CC6677", 0.35)
FALLBACK = "#444444"
ARTICLE_RING = "#000000"  # the ring around a figure the article quotes

# Okabe-Ito for the timeline categories, in model.CATEGORIES order.
CATEGORY = {
    "diplomacy": "#0072B2",
    "deployment": "#E69F00",
    "combat": "#D55E00",
    "territory": "#009E73",
    "casualties": "#CC79A7",
    "prisoners": "#56B4E9",
}

SIDE_FAMILY = {"UA": "ua", "KR": "kr", "US": "west", "UK": "west", "RU": "ru", "KP": "kp", "other": "other"}
# Three shades per side, CIELAB lightness 28 / 42 / 57 at the side's hue (CIELCh: Ukraine 265°,
# South Korea 150°, US and UK 340°, Russia 35°, North Korea 65°, others 95° at low chroma), each at
# least 3.5:1 against white (WCAG 1.4.11 asks 3:1). Three, not more: a fourth shade between them
# would come closer than the threshold below to its neighbours.
FAMILIES: dict[str, tuple[str, ...]] = {
    "ua": ("#004779", "#0069AD", "#258FD7"),
    "kr": ("#034D25", "#16723C", "#449960"),
    "west": ("#6A2B56", "#99457D", "#C36BA5"),
    "ru": ("#79251D", "#AD3D32", "#DB6554"),
    "kp": ("#653705", "#925413", "#BE7939"),
    "other": ("#48422C", "#6B6346", "#92896A"),
}
# Two claimants drawn on the same chart need a colour difference of at least MIN_DELTA_E (CIEDE2000),
# for normal colour vision and under simulated deuteranopia (Machado et al. 2009, severity 1), or else
# a different marker variant. Why 10: a CIEDE2000 difference of about 1 is just noticeable between
# two large patches side by side; for marks the size of our 11 px markers, a difference must be about
# five times larger to be seen as reliably (Stone, Szafir & Setlur 2014, "An engineering model for
# color difference as a function of size"), and a reader must match a dot to its legend entry across
# the chart, not compare two touching patches; 10 is also the step between two shades of one side here.
MIN_DELTA_E = 10.0
# Pairs of palette colours closer than MIN_DELTA_E, normal or deuteranopic: green, red, brown and
# olive fold together for a deuteranope (the US/UK purple leans to magenta, so that it stays apart
# from the Ukrainian blue for a deuteranope too). Computed with colour-science
# (tests/test_graphics.py recomputes it and fails if the palette and this list disagree).
CLOSE: frozenset[frozenset[str]] = frozenset(
    frozenset(p)
    for p in (
        ("#034D25", "#79251D"),
        ("#034D25", "#653705"),
        ("#034D25", "#48422C"),
        ("#16723C", "#79251D"),
        ("#16723C", "#AD3D32"),
        ("#16723C", "#6B6346"),
        ("#449960", "#DB6554"),
        ("#449960", "#92896A"),
        ("#79251D", "#653705"),
        ("#79251D", "#48422C"),
        ("#AD3D32", "#925413"),
        ("#AD3D32", "#6B6346"),
        ("#DB6554", "#BE7939"),
        ("#DB6554", "#92896A"),
    )
)
# The second channel, where colour alone cannot separate two claimants: plotly's "-dot" form of the
# marker (a white dot in a filled marker, a dot in a ring), a dashed line for a range.
VARIANT_SUFFIX = ("", "-dot")
VARIANT_DASH = ("solid", "dash")
AREA_MEASURES = ("area_held_km2", "area_held_peak_km2")  # the area chart's claims (figures/area.py)


@dataclass(frozen=True)
class Style:
    colour: str
    variant: int = 0

    def symbol(self, base: str) -> str:
        """``base`` ('circle', 'x-open', …) in this claimant's variant (plotly symbol names)."""
        suffix = VARIANT_SUFFIX[self.variant % len(VARIANT_SUFFIX)]
        if not suffix:
            return base
        if base.endswith("-open"):
            return base[: -len("-open")] + "-open" + suffix
        return base + suffix

    @property
    def line(self) -> str:
        """The marker's outline: its own colour, or white so that the variant's dot shows in a filled marker."""
        return self.colour if self.variant == 0 else HALO

    @property
    def dash(self) -> str:
        return VARIANT_DASH[self.variant % len(VARIANT_DASH)]


def close(a: str, b: str) -> bool:
    """Two colours a reader may confuse (an editor's own colour is assumed close to every other)."""
    if a == b:
        return True
    palette = {c for fam in FAMILIES.values() for c in fam}
    return a not in palette or b not in palette or frozenset((a, b)) in CLOSE


def drawn_together(bundle: Bundle) -> list[set[str]]:
    """The claimants each chart draws at once: every casualty figure, every area figure, the lead graphic's."""
    from .model import CASUALTY_MEASURES

    numbered = [c for c in bundle.claims if c.has_number]
    lead = bundle.article.lead
    ids = {k for cmp in (lead.compare if lead else ()) for k in (cmp.claim, *cmp.known)}
    return [
        {c.claimant for c in numbered if c.measure in CASUALTY_MEASURES},
        {c.claimant for c in numbered if c.measure in AREA_MEASURES},
        {c.claimant for c in bundle.claims if c.id in ids},
    ]


def claimant_styles(bundle: Bundle) -> dict[str, Style]:
    """One style per claimant, in its side's family: a shade and a marker variant such that any two
    claimants drawn on the same chart differ by MIN_DELTA_E in colour or else by their variant.

    Claimants are styled in ``claimants.csv`` order (new rows go at the end), each taking its side's
    first style that no claimant styled before it has and that clashes with none it is drawn with;
    so a claimant keeps its style when others are added. An editor's ``colour`` column wins."""
    groups = drawn_together(bundle)
    partners = {cid: set().union(*(g for g in groups if cid in g)) - {cid} for cid in bundle.claimants}
    out: dict[str, Style] = {cid: Style(who.colour) for cid, who in bundle.claimants.items() if who.colour}

    def fits(cid: str, style: Style) -> bool:
        return all(
            o.variant != style.variant or not close(o.colour, style.colour) for other, o in out.items() if other in partners[cid]
        )

    for cid, who in bundle.claimants.items():
        if cid in out:
            continue
        shades = FAMILIES[SIDE_FAMILY.get(who.side, "other")]
        own = [Style(c, v) for v in range(len(VARIANT_SUFFIX)) for c in shades]
        anyone = [Style(c, v) for v in range(len(VARIANT_SUFFIX)) for fam in FAMILIES.values() for c in fam]
        taken = set(out.values())
        out[cid] = next(
            (s for s in own if s not in taken and fits(cid, s)),  # a style of its own
            next((s for s in own if fits(cid, s)), next((s for s in anyone if fits(cid, s)), Style(FALLBACK))),
        )
    return out


def claimant_colours(bundle: Bundle) -> dict[str, str]:
    return {cid: s.colour for cid, s in claimant_styles(bundle).items()}
