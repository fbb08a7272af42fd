"""Legends of the maps as small HTML blocks (st.markdown(…, unsafe_allow_html=True); every text is escaped):
colour swatches with the range of each class."""
from __future__ import annotations

import html

import pandas as pd

import formats
from charts import tr
from charts.maps.colours import BLUE, NO_RATE, RATE_BREAKS, count_breaks, ramp, rate_colours


def swatch(rgb, label: str) -> str:
    """One colour swatch and its label (HTML)."""
    colour = f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    return (f'<span style="white-space:nowrap"><span style="display:inline-block;width:1.1em;height:1.1em;'
            f'background:{colour};border:1px solid #777;vertical-align:-0.2em;margin-right:0.3em"></span>'
            f'{html.escape(label)}</span>')


def legend_box(title: str, rows: list[str], note: str) -> str:
    """A bordered legend: bold `title`, rows of swatches (HTML), a grey `note`."""
    body = "".join(f'<div style="display:flex;flex-wrap:wrap;gap:0.3em 1.1em;margin:0.15em 0">{r}</div>' for r in rows)
    box = "font-size:0.92rem;line-height:1.5;border:1px solid #ddd;border-radius:6px;padding:0.45em 0.7em"
    return (f'<div style="{box}"><b>{html.escape(title)}</b>{body}'
            f'<div style="color:#555;font-size:0.85rem">{html.escape(note)}</div></div>')


def count_ranges(breaks: list[int], lang: str) -> list[str]:
    """Labels of the classes of `count_breaks` thresholds: '〜99', '100〜299', …, '3,000以上'."""
    n = lambda v: formats.number(v, lang)  # noqa: E731
    out = [(f"{n(breaks[0] - 1)}以下" if lang == "ja" else f"up to {n(breaks[0] - 1)}") if breaks[0] > 1 else "0"]
    for lo, hi in zip(breaks[:-1], breaks[1:]):
        out.append(f"{n(lo)}〜{n(hi - 1)}" if lang == "ja" else f"{n(lo)}–{n(hi - 1)}")
    out.append(f"{n(breaks[-1])}以上" if lang == "ja" else f"{n(breaks[-1])} or more")
    return out


def break_ranges(breaks, lang: str, signed: bool = False) -> list[str]:
    """Labels of the len(breaks)+1 classes of fixed `breaks` (lowest first): '△10未満', '△10〜△6', …, '+10以上'
    (en 'below −10', '−10 to −6', '+10 or more'); each break written with the decimals it has, '+' when `signed`."""
    def n(v: float) -> str:
        return formats.number(v, lang, len(f"{abs(v):g}".partition(".")[2]), signed=signed)

    b = breaks
    labels = [f"{n(b[0])}未満" if lang == "ja" else f"below {n(b[0])}"]
    labels += [f"{n(lo)}〜{n(hi)}" if lang == "ja" else f"{n(lo)} to {n(hi)}" for lo, hi in zip(b[:-1], b[1:])]
    labels.append(f"{n(b[-1])}以上" if lang == "ja" else f"{n(b[-1])} or more")
    return labels


def flow_legend(classes: dict, mode: str, lang: str) -> str:
    """Legend of a flow map as HTML (swatches with persons ranges, what width and direction mean)."""
    labels = count_ranges(classes["breaks"], lang)
    unit = tr("unit_persons", lang)
    if mode == "net":
        rows = [f"{html.escape(tr(key, lang))}: " + " ".join(swatch(c, l) for c, l in zip(classes[side], labels))
                for key, side in (("map_gain", "pos"), ("map_loss", "neg"))]
    else:
        colours = classes["pos"] if mode == "in" else classes["neg"]
        rows = [" ".join(swatch(c, l) for c, l in zip(colours, labels))]
    title = tr("map_legend_" + mode, lang) + (f"（{unit}）" if lang == "ja" else f" ({unit})")
    return legend_box(title, rows, tr("map_legend_note", lang))


def pairs_legend(pairs: pd.DataFrame, mode: str, lang: str) -> str:
    """Legend of the 全国 pairs map as HTML."""
    breaks = count_breaks(pairs["movers"].tolist())
    labels = count_ranges(breaks, lang)
    rows = [" ".join(swatch(c, l) for c, l in zip(ramp(BLUE, len(breaks) + 1), labels))]
    title = tr("map_legend_pairs_" + ("net" if mode == "net" else "gross"), lang)
    return legend_box(title, rows, tr("map_legend_pairs_note", lang))


def rate_legend(lang: str) -> str:
    """Legend of the choropleth as HTML: RATE_BREAKS classes per 1,000 residents and 'no figure'."""
    labels = break_ranges(RATE_BREAKS, lang, signed=True)
    swatches = [swatch(c, l) for c, l in zip(rate_colours(), labels)] + [swatch(NO_RATE, tr("unavailable", lang))]
    per = tr("per_1000", lang)
    title = tr("map_rate", lang) + (f"（{per}）" if lang == "ja" else f" ({per})")
    return legend_box(title, [" ".join(swatches)], tr("map_rate_note", lang))
