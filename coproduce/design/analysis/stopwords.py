"""Stop words for the theme engine, per language, and the choice of an item's language.

English: scikit-learn's list (`ENGLISH_STOP_WORDS`, the one the engine always used). German: the
Snowball project's German stop list (snowballstem.org/algorithms/german/stop.txt, BSD licence), plus
a few words that are as empty in short feedback (modal and auxiliary forms such as "wäre", "hätte",
"wurde", and fillers such as "schon", "immer", "mal", "bitte"). Both lists are case-folded, so "daß"
and "dass" are one word. A small list kept here rather than a package: two languages are needed, and
the lists change rarely.

An item's language is the one whose stop words it uses most (function words are the surest short-text
signal); an item with none, or with a tie, takes the hint (the site's language).
"""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_SNOWBALL_GERMAN = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm
andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das daß derselbe
derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner
deines denn derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort durch ein eine
einem einen einer eines einig einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer
eure eurem euren eurer eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich
mir ihr ihre ihrem ihren ihrer ihres euch im in indem ins ist jede jedem jeden jeder jedes jene jenem
jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können könnte machen man manche
manchem manchen mancher manches mein meine meinem meinen meiner meines mit muss musste nach nicht nichts
noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind so
solche solchem solchen solcher solches soll sollte sondern sonst über um und uns unsere unserem unseren
unser unseres unter viel vom von vor während war waren warst was weg weil weiter welche welchem welchen
welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu zum
zur zwar zwischen
"""

_GERMAN_EXTRA = """
dass wäre wären hätte hätten hättest könnten konnte konnten müssen müsste müssten sollen sollten
wurde wurden worden sei seid gibt gab geht ging kommt kam ja nein mal schon immer mehr ganz oft gar
bitte eben halt etwa sowie bzw usw beim vielleicht einfach denen deren wer wem wen ab seit bisher
"""

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(w.casefold() for w in ENGLISH_STOP_WORDS),
    "de": frozenset(w.casefold() for w in (_SNOWBALL_GERMAN + _GERMAN_EXTRA).split()),
}
LANGUAGES = tuple(STOP_WORDS)


def base_language(code: str | None) -> str | None:
    """'de-at' -> 'de'; a language without a list -> None."""
    code = (code or "").split("-")[0].split("_")[0].lower()
    return code if code in STOP_WORDS else None


def language_of(tokens: list[str], hint: str | None = None) -> str | None:
    """The language whose stop words `tokens` (case-folded words) use most; the hint on a tie."""
    hint = base_language(hint)
    counts = {lang: sum(1 for t in tokens if t in words) for lang, words in STOP_WORDS.items()}
    best = max(counts.values(), default=0)
    leaders = [lang for lang, n in counts.items() if n == best]
    if best == 0 or len(leaders) > 1:
        return hint if hint in leaders or best == 0 else leaders[0]
    return leaders[0]
