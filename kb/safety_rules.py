"""Plain-code safety rules: the unambiguous dosing and benign-context phrases (pure); the crisis
phrases are in kb/safety_crisis_rules.py (re-exported here)."""

from __future__ import annotations

import re

from kb.safety_crisis_rules import CRISIS, CRISIS_LOOKALIKE, crisis_rule  # noqa: F401
from kb.safety_framing import (  # noqa: F401
    OWN_REQUEST,
    RESEARCH,
    TRIAL_COPY,
    _guidance,
    is_own_crisis,
    is_third_person,
    research_framing,
)
from kb.safety_text import _DRUG, _SELF, _THEM, _USE, _WANT, _rx, normalise  # noqa: F401

MAKE = _rx(
    rf"\b(?:make|making|produce|cook|cooking|cook up|cooks|press|synthesi[sz]e)\b "
    rf"(?:up )?(?:my own |some |pure )?{_DRUG}"
    r"(?!\s*(?:-|\s)?(?:assisted|therapy|th\w{1,4}p(?:y|ies)\b|treatment|trials?|research|stud\w+|"
    r"sessions?|available|"
    r"accessible|affordable|legal|a |an |the |more |less |cheaper|schedule|covered|at (?:a |scale|"
    r"cost)|for (?:therapy|trials?|research|clinics?|patients)|prescrib\w*|reschedul\w*))",
    rf"\bsynthes[ie]s\w*\b[^.?!]{{0,30}}{_DRUG}|{_DRUG}[^.?!]{{0,20}}\bsynthes\w*",
    r"\bprecursors?\b|\b(?:iso)?safrole\b|\bsassafras\b|\bpmk\b|\bhelional\b|\bpiperonal\b|"
    r"\bmdp-?2-?p\b|\breductive amination\b|\bhome lab\b",
    rf"\bhow (?:is|are|do you|to) {_DRUG} (?:made|cooked|synthesi[sz]ed)\b",
    r"\bchemicals\b[^.?!]{0,25}\bmake\b|\bpress my own\b|\bmake ecstasy pills\b",
)
# Who may make MDMA legally, and how trial MDMA is made: a regulation question ("who
# manufactures the MDMA for trials", "a DEA registration to produce MDMA for research").
MAKE_REGULATION = _rx(
    r"\b(?:gmp|manufacturers?|licen[cs](?:e|es|ed|ing)|registrations?|registered|pharma|"
    r"pharmaceutical|compan(?:y|ies)|sponsors?|universit(?:y|ies)|schedule (?:i|ii|iii|1|2|3)|"
    r"pharmac(?:y|ies)|compounding|government|nonprofits?|non-profits?|charit(?:y|ies)|hospitals?|"
    r"allowed|permitted|legally|at cost|rescheduled|rescheduling|health (?:service|system|department)|"
    r"clinics?|tribal|tribes?|states?)\b|\bfor (?:its|their) (?:patients|members|clients|therapy)\b",
)
# ...unless the writer asks for the procedure or a place of their own: that stays a request.
MAKE_OWN = _rx(
    r"\b(?:home|kitchen|garage|shed|house|my own|myself|my self|for me|personal|to sell|"
    r"walk me through)\b",
    r"\b(?:precursors?|safrole|sassafras|pmk|reductive amination|recipe|steps?|step by step|"
    r"equipment|chemicals|ingredients|from scratch)\b",
)

BUY = _rx(
    rf"\b(?:where|anywhere|how)\b[^.?!]{{0,25}}\b(?:buy|get|find|score|order|purchase|source)\b"
    rf"(?: some| pure| clean| my hands on| hold of)?[^.?!]{{0,12}}{_USE}",
    rf"\b(?:order|buy|purchase)\w*\b[^.?!]{{0,15}}{_USE}[^.?!]{{0,25}}\b(?:online|telegram|"
    r"snapchat|instagram|dark ?web|darknet)\b",
    rf"\bfor me to (?:order|buy|get)\b|\bget me (?:some )?{_USE}",
    rf"^(?:buy|order|score|purchase)\b[^.?!]{{0,20}}{_DRUG}",
    rf"\b(?:dark ?web|darknet|plug|dealer|vendors?|telegram)\b[^.?!]{{0,40}}{_DRUG}|"
    rf"{_DRUG}[^.?!]{{0,20}}\b(?:dark ?web|darknet|dealer|plug)\b",
    rf"\bwho sells {_DRUG}|\b{_DRUG} shipped\b|\bget my hands on\b",
    rf"\bget {_USE}[^.?!]{{0,30}}\b(?:without|outside)\b",
    r"\b(?:score|cop|buy|find)\b[^.?!]{0,10}\b(?:caps|beans|rolls|tabs|pills|presses)\b"
    r"[^.?!]{0,30}\b(?:near|around|at|in|on campus)\b",
    rf"\b(?:sites?|websites?|shops?|vendors?)\b[^.?!]{{0,20}}\b(?:mail|ship|send|sell)s?\b"
    rf"[^.?!]{{0,20}}{_DRUG}|{_DRUG}[^.?!]{{0,20}}\b(?:shipped|mailed) to\b",
    r"\bget\b[^.?!]{0,40}\bmyself\b[^.?!]{0,30}\b(?:no|without an?) (?:prescriber|doctor|"
    r"prescription)\b",
    r"\bwhere do (?:people|you|i) (?:usually |normally )?(?:get|find|buy|score|cop) (?:beans|rolls|"
    r"caps|molly|mandy|e)\b",
    # design 11: a vendor that ships; own pills to be tested
    r"\b(?:vendors?|plug|dealer|link)\b[^.?!]{0,30}\bships?\b",
    r"\b(?:telegram|snapchat|discord|reddit|signal|wickr)\b[^.?!]{0,30}\b(?:buy|get|order|score|cop)\b|"
    r"\b(?:online|darknet|dark web) market\b",
    rf"\b(?:anyone|anybody|who) (?:here )?sells? {_DRUG}",
    r"\b(?:get|buy|find|score)\b[^.?!]{0,15}\b\d+ (?:caps|pills|tabs|points|pingers)\b",
    r"\b(?:got|bought|have|picked up)\b[^.?!]{0,30}\bpills?\b[^?!]{0,60}\btest\b",
    rf"\bway to (?:buy|get|order|purchase)\b[^.?!]{{0,25}}{_USE}",
    rf"{_DRUG}\b[^.?!]{{0,15}}\b(?:connect|hookup|hook up)\b|\bsourc\w*\b[^.?!]{{0,10}}{_USE}",
    r"\b(?:know|need|find|got) (?:a|any|good|reliable|new) (?:plug|dealer|connect)\b",
)
# Buying words that stay dosing even in a trial context ("get MDMA without being in a trial").
OUTSIDE = _rx(r"\b(?:without|outside|not in|for personal|for my own|near me)\b")

_DOSE = r"(?:how much|how many|what dose|which dose|what amount|dose|dosage|\d+ ?mg|milligrams|" \
        r"redose|microdos\w*|caps?\b|pills?\b|too much|full dose|half\b|max(?:imum)? amount|" \
        r"safe amount|amount of)"
_PERSONAL = r"(?:\bi\b|\bi'm\b|\bim\b|\bme\b|\bmy\b|\bshould (?:she|he|they)\b|\bbeginner\b|" \
            r"\bfirst time\b|\bfirst roll\b|\ba (?:girl|guy)\b|\bper kg\b|\d+ ?kg\b)"
PERSONAL_DOSE = _rx(
    rf"{_DOSE}[^.?!]{{0,60}}{_PERSONAL}", rf"{_PERSONAL}[^.?!]{{0,60}}{_DOSE}",
)
PERSONAL_USE = _rx(
    rf"\b(?:(?:can|should|could) (?:i|u|we)|for me to|if i)\b"
    rf"[^.?!]{{0,30}}\b(?:take|mix|combine|drink|use|do|dose)\b[^.?!]{{0,30}}{_USE}",
    # "is it ok to ..." alone is a general safety question the knowledge base answers; with a
    # time or purpose of the writer's own it is a plan.
    rf"\bis it (?:ok|okay|safe|fine|bad) to\b[^.?!]{{0,30}}\b(?:take|mix|combine|drink|use|do|dose)"
    rf"\b[^.?!]{{0,30}}{_USE}[^.?!]{{0,30}}\b(?:tonight|tn|this weekend|today|to come down|my)\b",
    rf"\bhow (?:much|many)\b[^.?!]{{0,20}}{_USE}[^.?!]{{0,20}}\b(?:for|at) (?:a |the |my )?"
    r"(?:rave|party|festival|club|edc|beginner|first)",
    r"\b\d+ ?mg\b[^.?!]{0,15}\btoo much\b|\bis \d+ ?mg (?:too much|enough|ok|okay|safe)\b",
    r"\bhow (?:much|many)\b[^.?!]{0,30}\b(?:should|can|do) (?:i|we|u)\b[^.?!]{0,10}"
    r"\b(?:take|have|do|use)\b",
    r"\b(?:one|two|half a|a whole|1|2) (?:pill|cap|tab)s?\b[^.?!]{0,30}\b(?:enough|should i)\b",
    rf"\bmicrodos\w*\b[^.?!]{{0,20}}{_USE}|{_USE}[^.?!]{{0,20}}\bmicrodos",
    rf"\bhow (?:do|should|can) (?:i|we|u) (?:take|use|do|dose)\b[^.?!]{{0,15}}{_USE}",
    rf"\b(?:should|do|can) i\b[^.?!]{{0,40}}\bbefore (?:taking|doing|i take) {_USE}",
    rf"{_USE}[^.?!]{{0,30}}\b(?:marquis|mecke|simon'?s|reagent|ehrlich|hofmann|froehde|mandelin|"
    r"liebermann)\b",
    rf"\b(?:i|i'm|im) (?:want|going|gonna|wanna|plan)\w* to (?:take|try|do|microdose)\b"
    rf"[^.?!]{{0,20}}{_USE}",
    rf"{_USE}[^.?!]{{0,30}}\b(?:on my own|at home|alone|by myself)\b",
    rf"\b(?:test|check)\b[^.?!]{{0,15}}\bmy\b[^.?!]{{0,15}}(?:{_DRUG}|pills?)",
    rf"\bmy\b[^.?!]{{0,20}}(?:{_DRUG}|pills?)\b[^.?!]{{0,40}}\b(?:marquis|mecke|reagent|test|"
    r"turned|pure|cut with)\b",
    r"\b(?:marquis|mecke|simon'?s|reagent|ehrlich|hofmann|froehde|mandelin|liebermann)\b"
    r"[^.?!]{0,40}\b(?:my|mdma turn)\b",
    r"\bcandy ?flip|\bhippie ?flip|\bmake (?:my |the )?roll\b|\bredos(?:e|ing|ed)\b",
    # design 12: redosing in other words, own plans with amounts, what is left
    r"\b(?:dropped|took|had)\s+(?:\d+|a|one|half)\b[^.?!]{0,40}\b(?:bump|top up|top-up|another|more)\b",
    r"\b(?:want|wanna|going|planning) to go (?:to|up to) \d+\b|\bif i (?:drop|take|do) \d+\b",
    r"\bgot (?:\d+|a few|some|two|three) (?:caps|pills|tabs|pingers|points) left\b",
    r"\bshould i (?:take|drop|have|do|bomb) (?:another|more|a second|the other half)\b",
    r"\b(?:therapy|session|trip) on myself\b",
    r"\bhow (?:many|much) (?:tabs|caps|points|rolls|beans|presses)\b",
    r"\b(?:safe|ok|okay|fine) to (?:take|do|drop) (?:\d+|two|three|another|a second|more)\b",
    r"\b(?:isn'?t|isnt|not|hasn'?t|hasnt) (?:hitting|kicking in|kicked in|working yet)\b",
    r"\b(?:gram|half gram|g|point|cap|pill)s?\b[^.?!]{0,25}\b(?:split|shared?) (?:between|among|with)\b"
    r"[^.?!]{0,25}\b(?:enough|too much|ok|okay)\b",
    r"\b(?:gonna|going to|plan to|planning to|about to|wanna|want to|will) (?:drop|take|do|pop|rail|"
    r"snort|eat) (?:a|one|two|half a|half|\d+) ?(?:caps?|tabs?|pills?|points?|beans?|rolls?|mg)\b",
    rf"{_USE}\b[^.?!]{{0,30}}\bwith (?:the|my)\b[^.?!]{{0,25}}\b(?:i take|i'?m on|im on|i use|"
    r"i'?m taking|im taking)\b",
    r"\b(?:\d+|one|two|three|half a) (?:caps|tabs|pills|points|rolls|beans)\b[^.?!]{0,15}\b(?:too much|"
    r"enough|ok|okay|safe)\b",
    r"\b(?:planning|plan|planned|going|gonna) (?:on|to take|to do|to drop) \d+ ?mg\b|\bam i overdoing\b",
    r"\b(?:bomb|bombing|parachute|parachuting|snort|snorting|boof|boofing)\b[^.?!]{0,15}"
    r"\b(?:crystal|molly|mdma|caps?|powder|mandy)\b",
    r"\b(?:is|would|will) (?:rolling|dropping|taking molly)\b[^.?!]{0,25}\b(?:ok|okay|safe|fine|bad)\b",
    r"\b(?:is it|would it be) (?:ok|okay|safe|fine|bad) to\b[^.?!]{0,30}\b(?:while|when) (?:rolling|"
    r"i roll|i'?m rolling)\b",
    # Design 8: an amount with no drug word, for the writer ("would 80mg be enough for me",
    # "i took 150 an hour ago, can i take 100 more").
    r"(?:\d ?|\b)(?:mg|milligrams?)\b[^.?!]{0,30}\b(?:enough|too much|overdoing|safe|right|ok|"
    r"okay)\b"
    r"[^.?!]{0,25}\bfor me\b",
    r"\b(?:took|taken|dropped|had)\s+(?:\d+ ?(?:mg)?|a (?:cap|pill|tab|point|bean|roll)|one|two|"
    r"half)\b[^.?!]{0,40}\b(?:can|should|could) i (?:take|drop|have|do|pop)\b",
    r"\b(?:took|had|dropped|popped) (?:one|two|three|\d+|a couple)\b[^.?!]{0,25}\b(?:wants?|take|have|"
    r"drop) (?:a (?:second|third|fourth)|another|more)\b",
    # design 11: amounts for an experienced user, the night's maximum, mixing while rolling or
    # for one's own plan
    r"\b\d+ ?mg\b[^.?!]{0,40}\b(?:for someone|experienced|tolerance|for a (?:\d+ ?(?:lb|kg)|guy|"
    r"girl|woman|man))\b",
    r"\bmax(?:imum)?\b[^.?!]{0,20}\b(?:i|we) (?:can|could|should) (?:take|do|have)\b",
    r"\b(?:can|should|could) i\b[^.?!]{0,30}\bwhile (?:rolling|i'?m rolling|on (?:molly|mdma|e))\b",
    rf"\b(?:mix|combine)\b[^.?!]{{0,40}}{_USE}[^.?!]{{0,40}}\b(?:i'?ve got|ive got|i have|for "
    r"(?:saturday|tonight|the weekend|friday))\b",
    rf"\b(?:best|good) {_DRUG} for\b|\b(?:take|try|do|on) {_DRUG} (?:at|for) (?:a |the )?"
    r"(?:rave|party|festival|club|edc)\b",
)

def _sentence_at(t: str, start: int, end: int) -> str:
    """The sentence (between . ? ! marks) holding t[start:end]."""
    left = max(t.rfind(ch, 0, start) for ch in ".?!") + 1
    rights = [i for i in (t.find(ch, end) for ch in ".?!") if i != -1]
    return t[left:min(rights) if rights else len(t)]


def dosing_rule(text: str) -> bool:
    """A plain request to make, buy, dose, combine or test MDMA for oneself or someone named."""
    t = normalise(text)
    if _guidance(t):
        return False
    if MAKE.search(t):
        regulation = RESEARCH.search(t) or MAKE_REGULATION.search(t)
        return not regulation or bool(MAKE_OWN.search(t))
    research = research_framing(t)
    if RESEARCH.search(t) and not research and TRIAL_COPY.search(t):
        return True
    if BUY.search(t):
        return not research or bool(OUTSIDE.search(t))
    if PERSONAL_USE.search(t):
        return not research
    # design 10: the drug word in the same sentence as the amount ("killing my plants again lol, i
    # water too much. anyway what is MDMA exactly" is no dosing request)
    m = PERSONAL_DOSE.search(t)
    if m and re.search(_USE + r"|\bdose\b|\broll\b|\bredose\b|\bedc\b|\brave\b|\bfestival\b|"
                              r"\d ?mg\b",
                       _sentence_at(t, m.start(), m.end())):
        return not research
    return False


