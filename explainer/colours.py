"""Every colour the charts use, by meaning, and one colour per claimant.

Claimants are coloured by side: one hue family per side (Ukraine blue, South Korea green, US and
UK purple, Russia red, North Korea brown, others olive grey), so a reader sees at a glance whose
figure it is, and a shade per claimant within its family. Shades are OKLCH lightness steps of a
fixed hue (computed once and written out here), each at least 3:1 against white (WCAG 1.4.11);
the hue families are those of the Okabe-Ito scheme, apart for the common colour-vision
deficiencies. A family's shades run out after eight claimants of one side: the next eight reuse
them with a dotted marker (``variant`` 1): colour + symbol stays unique for sixteen claimants
of one side and any number of sides.

A claimant keeps its shade when others are added: shades go by the claimant's position among
its side in ``claimants.csv`` (new rows go at the end), or by its own ``colour`` column.
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
FAMILIES: dict[str, tuple[str, ...]] = {
    "ua": ("#004383", "#347EC4", "#005A9D", "#4790D8", "#003171", "#1F6CB0", "#004E90", "#3A84CA"),
    "kr": ("#005630", "#009267", "#006D45", "#17A478", "#004521", "#007F56", "#00623A", "#00986C"),
    "west": ("#5F246C", "#9C5EAA", "#773B84", "#AF70BD", "#4E125B", "#894D97", "#6B3078", "#A264B0"),
    "ru": ("#781D03", "#BA5A42", "#92361F", "#CE6C54", "#650400", "#A64831", "#852A12", "#C16048"),
    "kp": ("#6C3000", "#AA6A00", "#844700", "#BE7C1C", "#5A1F00", "#975800", "#783B00", "#B17000"),
    "other": ("#464330", "#7E7B67", "#5C5945", "#908D78", "#363321", "#6D6A56", "#514E3B", "#84816D"),
}
# Marker variants once a family's shades are used up: plotly symbol suffixes.
VARIANT_SUFFIX = ("", "-dot")  # plotly has a "-dot" form of every symbol used here


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


def claimant_styles(bundle: Bundle) -> dict[str, Style]:
    """A style per claimant, unique among all claimants (not only those on screen)."""
    out: dict[str, Style] = {}
    taken: set[tuple[str, int]] = set()
    rank: dict[str, int] = {}
    for cid, who in bundle.claimants.items():  # claimants.csv order
        if who.colour:
            out[cid] = Style(who.colour)
            taken.add((who.colour, 0))
    everything = [(c, v) for v in range(len(VARIANT_SUFFIX)) for fam in FAMILIES.values() for c in fam]
    for cid, who in bundle.claimants.items():
        if cid in out:
            continue
        fam = SIDE_FAMILY.get(who.side, "other")
        shades = FAMILIES[fam]
        style = None
        while rank.get(fam, 0) < len(shades) * len(VARIANT_SUFFIX):
            i = rank.get(fam, 0)
            rank[fam] = i + 1
            if (shades[i % len(shades)], i // len(shades)) not in taken:
                style = Style(shades[i % len(shades)], i // len(shades))
                break
        if style is None:  # a side with more claimants than its family holds: any free style
            colour, variant = next((p for p in everything if p not in taken), (FALLBACK, 0))
            style = Style(colour, variant)
        taken.add((style.colour, style.variant))
        out[cid] = style
    return out


def claimant_colours(bundle: Bundle) -> dict[str, str]:
    return {cid: s.colour for cid, s in claimant_styles(bundle).items()}
