"""The charts' colours: the Okabe–Ito palette, one fixed colour per label, and hatches.

People with the common kinds of colour blindness can tell the Okabe–Ito colours apart, and
colour is never the only cue: every coloured cell or bar also carries its label in words
(or a legend entry), and stacked bars are hatched.
"""

from __future__ import annotations

from medialit.scheme import Scheme

#: Okabe & Ito (2008) colour-blind-safe palette, without black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
RIGHT, WRONG, EMPTY, NOT_APPLICABLE = "#009E73", "#D55E00", "#FFFFFF", "#DDDDDD"
NO_LABEL = "#BBBBBB"  # the "none" answer of an optional layer
DARK = ("#0072B2", "#D55E00")
YES_NO = {"yes": "#0072B2", "no": "#E69F00"}
MUTED = "#666666"  # words that say "nothing here" (– not tagged, does not apply)


def label_colour(scheme: Scheme, layer: str, label: str) -> str:
    """The colour of a label: the same in every chart."""
    names = scheme.layer(layer).label_names
    if label in names:
        return OKABE_ITO[names.index(label) % len(OKABE_ITO)]
    return YES_NO.get(label, "#999999")
