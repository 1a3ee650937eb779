"""What a question asks for, and what a sentence carries: facts, references back, caveats."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")

# Question kinds, tried in order; the first that matches wins.
_KINDS = (
    ("limits", r"\blimit(?:ation)?s\b|\bweak (?:points?|spots?)\b|\bweakness(?:es)?\b|\bdownsides?\b"
               r"|\bcaveats?\b|\bshortcomings?\b|\bflaws?\b"),
    ("effect", r"(?<!side )(?<!side-)(?<!adverse )\beffect(?: size)?s?\b"
               r"|\bhow (?:big|large|strong|much better)\b|\bby how (?:many|much)\b"
               r"|\bhow many points\b"),
    ("share", r"\b(?:percent(?:age)?|proportion|share|fraction|rate)\b|\bwhat %|\bhow many of\b"
              r"|\bhow (?:often|common|frequent|frequently|likely)\b"),
    ("when", r"^\s*(?:and\s+)?when\b|\bwhat (?:year|date|month)\b|\bhow long ago\b|\bsince when\b"),
    ("funding", r"\b(?:paid for|funded|funds|fund|funding|sponsor|sponsors|"
                r"sponsored|financed|bankrolled)\b"),
    ("who", r"^\s*(?:and\s+)?who\b|\bwhich (?:organi[sz]ation|company|group|agency|judge|journal)\b"
            r"|\b(?:funded|sponsored|paid for|ran|started|founded)\b"),
    ("cost", r"\b(?:cost|costs|price|pay|pays|expensive|afford|reimburse|money)\b"
             r"|\braise (?:money|funds)\b"),
    ("duration", r"\bhow long\b|\b(?:did|does|do|will) (?:it|they|the \w+) last\b|\blast(?:ing)?\b"
                 r"|\b(?:a|one|two|\d+) (?:years?|months?) (?:later|after|on)\b|\blater on\b"
                 r"|\blong[- ]term\b"),
    ("why", r"^\s*(?:and\s+|but\s+|so\s+)?why\b|\bhow come\b|\bwhat (?:was|were) the reasons?\b"
            r"|\bfor what reason\b"),
    ("count", r"\bhow many\b|\bnumber of\b|\bhow much\b|\bsample size\b"),
    ("finding", r"\b(?:find|found|finding|findings|show|showed|result|results|work|worked|say|said"
                r"|conclude|report|reported|outcome|outcomes|happen|happened|happend|vote|voted)\b"),
    ("yesno", r"^\s*(?:and\s+)?(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had|"
              r"should)\b"),
)
_KIND_RE = tuple((k, re.compile(p, re.IGNORECASE)) for k, p in _KINDS)

# Inline citations "(Mitchell et al. 2023)" carry years and names that are not the sentence's facts.
_CITE = re.compile(r"\((?:[^()]*?\b(?:19|20)\d\d[a-z]?\b[^()]*?)\)")
_NUMBER = r"\b\d[\d,]*(?:\.\d+)?\b"
_FACTS = {
    "effect": re.compile(r"\b[dg]\s?=\s?\d|\bHedges'? g\b|\beffect size\b|\b\d+(?:\.\d+)? points\b"
                         r"|\bp\s?[<=]\s?0?\.\d", re.IGNORECASE),
    "share": re.compile(r"\d(?:\.\d+)?\s?%|\b\d+ (?:of|out of) (?:the )?\d+\b|\bpercent\b"
                        r"|\bodds ratio \d",
                        re.IGNORECASE),
    "cost": re.compile(r"(?:US|AU|A)?\$\s?\d|\b\d[\d,.]* (?:dollars|million|billion)\b|\bcosts?\b",
                       re.IGNORECASE),
    # A date, or a year the sentence places something in ("in 1985", "from 2014"); not the year
    # naming a source ("A 2024 commentary says...").
    "when": re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|"
                       r"November|December)\b|\b(?i:in|on|from|since|until|by|between|after|before|"
                       r"during|and|to|of|early|late|mid|the) (?:19|20)\d\d(?:s)?\b"
                       r"|\b(?:19|20)\d\ds\b"),
    "duration": re.compile(r"\b(?:\d+(?:\.\d+)?|two|three|four|five|six|eight|ten|twelve|"
                           r"eighteen|twenty-four) (?:months?|years?|weeks?|hours?|days?|minutes?)\b"
                           r"|\b(?:twelve|six|several) (?:months|years)\b|\b\d+-hour\b"
                           r"|\b(?:a year|years) (?:later|after)\b|\bdurab|\blast(?:ed|ing)?\b",
                           re.IGNORECASE),
    # A name ("Francis L. Young", "Rick Doblin") or an organisation's initials ("DEA"), not the
    # drug or the condition.
    "who": re.compile(r"(?<![.!?]\s)(?<!^)\b(?:[A-Z][a-z]+(?:\s(?:[A-Z]\.|[A-Z][a-z]+))+"
                      r"|(?!MDMA\b|PTSD\b|III\b|II\b)[A-Z]{3,})\b"),
    "count": re.compile(_NUMBER + r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|"
                        r"twelve|twenty|thirty|forty|fifty|hundreds?|dozens?)\b", re.IGNORECASE),
    "why": re.compile(r"\bbecause\b|\bdue to\b|\breasons?\b|\bconcerns?\b|\bissues\b|\braised\b"
                      r"|\bobjections?\b|\bcited\b|\bquestioned\b|\bso that\b", re.IGNORECASE),
    "funding": re.compile(r"\b(?:sponsor(?:ed|s)?|fund(?:ed|ing|s)?|paid for|financed)\b",
                          re.IGNORECASE),
    "finding": re.compile(r"\d(?:\.\d+)?\s?%|\b\d+ of (?:the )?\d+\b|\b[dg]\s?=\s?\d|\bp\s?[<=]"
                          r"|\b\d+(?:\.\d+)? points\b|\b(?:found|showed|reported)\b", re.IGNORECASE),
}

# A sentence that leans on one before it ("That study...", "In the same survey...", "These doses",
# "The authors...", "...the doses above are...").
_BACK = re.compile(
    r"^[\"'(]?(?:(?:in|at|from|of|for|by|on|during|after|unlike|like|with|across|under|over)\s+)?"
    r"(?:that|this|these|those|such|the same|the latter|the former|the authors|the researchers|"
    r"its|their|they|it|he|she|his|her|both groups|both|each of them|"
    r"there(?!\s+(?:is|are|was|were|has|have|had|may|might|will|would|could|can|remains?)\b))\b",
    re.IGNORECASE)
# A connective that answers or qualifies a sentence before it ("Even so, ...", "Still, ...",
# "As a result, ...", "Despite this, ...").
_CONNECTIVE = re.compile(
    r"^[\"'(]?(?:even so|even then|nevertheless|nonetheless|as a result|likewise|similarly|"
    r"by contrast|in contrast|despite (?:this|that|these|those|it)|(?:still|instead|otherwise|"
    r"however|meanwhile|also),)", re.IGNORECASE)
# "To answer that, ...", "By then, ...": a pointer among the first few words, before a comma.
_EARLY = re.compile(r"^(?:\w+\s){0,3}(?:that|this|these|those|then|there)\s*,", re.IGNORECASE)
_ABOVE = re.compile(r"\babove(?=[\s,.;:]+(?:are|is|was|were|have|has|do|does|can|should|must|may)\b"
                    r"|[,.;:])|\baforementioned\b|\bthe previous (?:section|paragraph|point)\b",
                    re.IGNORECASE)

# Caveats a practitioner must not miss, in the order they are offered.
CAVEATS = (
    ("retracted", re.compile(r"\bretract", re.IGNORECASE)),
    ("not approved", re.compile(r"\bdeclined to approve\b|\bnot (?:been )?(?:FDA[- ])?approved\b"
                                r"|\bremains? unapproved\b|\bcomplete response letter\b",
                                re.IGNORECASE)),
    ("single sponsor", re.compile(r"\b(?:sponsored|funded) by MAPS\b|\bMAPS-(?:funded|sponsored)\b"
                                  r"|\bsingle sponsor\b|\bsame sponsor\b|\bsponsor of nearly\b",
                                  re.IGNORECASE)),
)


# A question that takes for granted what is not so ("Since the FDA approved MDMA therapy...",
# "Now that MDMA has been moved to Schedule III..."): the correction answers it first.
_PRESUMES_ACCESS = re.compile(
    r"^\s*(?:since|now that|given that|as|after|because)\b[^,?]*?\b(?:approv\w*|rescheduled|"
    r"moved (?:to|into|out of) schedule|legali[sz]ed|(?:is|are) (?:now )?(?:legal|available)|"
    r"started (?:offering|prescribing))", re.IGNORECASE)
_CORRECTS_ACCESS = re.compile(
    r"\bdeclined to approve\b|\bnot (?:been )?(?:FDA[- ])?approved\b|\bremains? unapproved\b"
    r"|\bno FDA-approved\b|\bcomplete response letter\b|\bstill (?:a |in )?Schedule I\b(?! ?I)"
    r"|\bremains? (?:a |in )?Schedule I\b(?! ?I)", re.IGNORECASE)


def presumes_access(question: str) -> bool:
    """Does the question open by taking an approval or rescheduling for granted?"""
    return bool(_PRESUMES_ACCESS.search(question))


@lru_cache(maxsize=50_000)
def corrects_access(sentence: str) -> bool:
    """Does the sentence say MDMA therapy is not approved or MDMA still Schedule I?"""
    return bool(_CORRECTS_ACCESS.search(sentence))


def question_kind(question: str) -> str:
    """effect / share / when / funding / who / cost / duration / count / finding / yesno /
    other."""
    for kind, pattern in _KIND_RE:
        if pattern.search(question):
            return kind
    return "other"


def facts_of(sentence: str) -> str:
    """The sentence without its inline citations, where facts are looked for."""
    return _CITE.sub("", sentence)


@lru_cache(maxsize=50_000)
def carries(kind: str, sentence: str) -> bool:
    """Does the sentence carry the kind of fact the question asks for (a number, date, name)?"""
    pattern = _FACTS.get(kind)
    return bool(pattern and pattern.search(facts_of(sentence)))


@lru_cache(maxsize=50_000)
def fact_count(kind: str, sentence: str) -> int:
    """How many facts of the asked kind the sentence carries."""
    pattern = _FACTS.get(kind)
    return len(pattern.findall(facts_of(sentence))) if pattern else 0


# "How many people / sessions / patients ...": what is counted, so that "90 adults" answers "how
# many people" and "42 hours" does not.
_COUNTED = re.compile(r"\bhow many (?:of the |more |other )?([a-z]+(?: [a-z]+)?)", re.IGNORECASE)
_PEOPLE = frozenset("""people ppl persons participants patients adults subjects volunteers
individuals clients men women veterans children""".split())
_PEOPLE_RE = r"(?:people|persons|participants|patients|adults|subjects|volunteers|individuals|" \
             r"clients|men|women|veterans|children|responders|officers|firefighters)"
_COUNT_WORD = r"(?:\d[\d,]*(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
              r"twenty|thirty|forty|fifty|hundreds?)"
_ADJ_WORDS = frozenset("bad severe serious black white more many new total".split())


def counted_noun(question: str) -> str:
    """What a how-many question counts, as a regex source ("" when it names nothing)."""
    m = _COUNTED.search(question)
    if not m:
        return ""
    words = [w.lower() for w in m.group(1).split()]
    if words[0] in _ADJ_WORDS and len(words) > 1:
        words = words[1:]
    head = words[0]
    if head in _PEOPLE:  # a group by sex or age is counted as such, anyone else as people
        return head if head in ("men", "women", "children", "veterans") else _PEOPLE_RE
    if len(head) < 4 or head.endswith("ed"):  # "how many guessed right?" counts no noun
        return ""
    return re.escape(stem(head)) + r"[a-z]*"


@lru_cache(maxsize=50_000)
def counts_of(noun: str, sentence: str) -> int:
    """How many times the sentence gives a number of `noun` ("90 adults", "three preparatory
    sessions", "20 participants in total")."""
    pattern = _counted_re(noun)
    return len(pattern.findall(facts_of(sentence)))


@lru_cache(maxsize=256)
def _counted_re(noun: str) -> re.Pattern:
    return re.compile(rf"\b{_COUNT_WORD}(?:\s+[\w-]+){{0,3}}?\s+{noun}\b", re.IGNORECASE)


_SECTIONS = {
    "finding": r"(?<!safety )results?\b|found|find|efficacy|outcome|reported|showed",
    "effect": r"(?<!safety )results?\b|found|efficacy|outcome",
    "share": r"(?<!safety )results?\b|found|efficacy|outcome|who took part|participants",
    "cost": r"cost|price|insurance|pay|afford",
    "duration": r"last|follow-up|long-term|durab|later",
    "why": r"\bwhy\b|reason|concern|issue|objection|fall short|critic|question",
    "limits": r"limitation|limits|caveat|weak|what .* cannot",
}
_SECTION_RE = {k: re.compile(v, re.IGNORECASE) for k, v in _SECTIONS.items()}
# What a question is about, when that names the section to look in whatever the kind: "how many
# people had side effects" wants the safety results, not the efficacy ones.
_TOPICS = (
    ("safety", re.compile(r"\bside[- ]effects?\b|\badverse\b|\bharm(?:s|ful)?\b|\bsafe(?:ty)?\b"
                          r"|\bdanger|\brisks?\b|\bdie\b|\bdied\b|\bdeaths?\b|\btoxic"
                          r"|\bblood pressure\b|\bheart\b", re.IGNORECASE),
     re.compile(r"safety|adverse|side effect|risk|harm|heart|blood pressure", re.IGNORECASE)),
)
# The outcome a study was designed around: what "what did it find" means first.
_HEADLINE = re.compile(r"\bprimary (?:endpoint|outcome|measure)\b|\beffect size\b"
                       r"|\bd\s?=\s?\d", re.IGNORECASE)
# Disclaimers about the text itself ("These doses are facts about a research protocol, not
# guidance...", "This FAQ describes research settings only..."): true, but never the answer.
_DISCLAIMER = re.compile(r"\bnot (?:guidance|advice|medical advice|legal advice)\b"
                         r"|\bresearch settings only\b|\bgives? no (?:dosing |medical |legal )?advice\b"
                         r"|\bgives facts, not\b", re.IGNORECASE)


def question_topic(question: str) -> str:
    """The subject area that names the section to look in ("safety"), or ""."""
    return next((name for name, asked, _ in _TOPICS if asked.search(question)), "")


@lru_cache(maxsize=50_000)
def section_fits(kind: str, section: str, topic: str = "") -> bool:
    """Is the section heading the kind of section that holds the fact asked for? A topic
    ("safety") decides when the question has one."""
    if topic:
        pattern = next(sec for name, _, sec in _TOPICS if name == topic)
    else:
        pattern = _SECTION_RE.get(kind)
    return bool(pattern and section and pattern.search(section))


@lru_cache(maxsize=50_000)
def is_headline(sentence: str) -> bool:
    """Does the sentence report a study's primary outcome or effect size?"""
    return bool(_HEADLINE.search(facts_of(sentence)))


@lru_cache(maxsize=50_000)
def is_disclaimer(sentence: str) -> bool:
    """Is the sentence a disclaimer about the text itself rather than a fact?"""
    return bool(_DISCLAIMER.search(sentence))


@lru_cache(maxsize=50_000)
def leans_back(sentence: str) -> bool:
    """Does the sentence open with (or hold) a reference to something said before it?"""
    s = sentence.strip()
    return bool(_BACK.search(s) or _EARLY.search(s) or _ABOVE.search(s)
                or _CONNECTIVE.search(s))


@lru_cache(maxsize=50_000)
def caveat_kind(sentence: str) -> str | None:
    for kind, pattern in CAVEATS:
        if pattern.search(sentence):
            return kind
    return None


@lru_cache(maxsize=50_000)
def word_set(sentence: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+(?:[.,][0-9]+)?", facts_of(sentence).lower()))


def near_duplicate(a: frozenset[str], b: frozenset[str], threshold: float = 0.7) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= threshold


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """English Snowball stem ("banned"/"ban", "voted"/"vote")."""
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=50_000)
def stems_of(sentence: str) -> frozenset[str]:
    return frozenset(stem(w) for w in re.findall(r"[a-z0-9]+", facts_of(sentence).lower()))


def overlap(terms: dict, sentence: str) -> float:
    """IDF-weighted share of the question's stems (`terms`: stem -> weight) in the sentence."""
    total = sum(terms.values())
    if not total:
        return 0.0
    have = stems_of(sentence)
    return sum(w for t, w in terms.items() if t in have) / total
