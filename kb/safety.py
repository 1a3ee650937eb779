"""Safety rules checked before retrieval: crisis language, and personal dosing/buying/making requests."""

from __future__ import annotations

import re

CRISIS_REPLY = (
    "If you or someone else may be in danger right now, call 911. "
    "You can reach the 988 Suicide & Crisis Lifeline at any hour: call or text 988, "
    "or chat at 988lifeline.org. They offer free, confidential support from trained counselors. "
    "This knowledge base cannot help in a crisis, but they can, right now."
)
DOSING_REPLY = (
    "I can't advise on taking, dosing, buying or making MDMA for personal or recreational use. "
    "MDMA-assisted therapy is not FDA-approved, and outside authorised research MDMA is a "
    "Schedule I drug in the US. For free, confidential help with substance use, call SAMHSA's "
    "National Helpline at 1-800-662-4357 (24/7). If someone may have taken too much of a drug, "
    "call Poison Help at 1-800-222-1222, or 911 in an emergency. I can describe the doses used "
    "in published clinical trials, as research facts: ask, for example, \"What doses did the "
    "phase 3 trials use?\""
)
DISCLAIMER = "Educational information, not medical or legal advice."

_DRUG = r"(?:mdma|molly|mollies|ecstasy|\bxtc\b|\be\b pills?|ecstacy|methylenedioxymethamphetamine)"
_ME = r"(?:\bi\b|\bi'm\b|\bim\b|\bme\b|\bmy\b|\bmyself\b|\bwe\b|\bour\b)"

_CRISIS = [re.compile(p, re.IGNORECASE) for p in (
    r"\b(?:kill|hurt|harm|cut|shoot|hang|poison) (?:myself|me)\b",
    r"\bend(?:ing)? (?:my|it all|my own) ?(?:life)?\b(?! of)",
    r"\btake my (?:own )?life\b",
    r"\b(?:i|i'm|im|i am|i've been|i have been|i feel|feeling|been)\b[^.?!]{0,30}\bsuicidal\b",
    r"\b(?:want|wanna|going|plan|planning|ready) to die\b",
    r"\bbetter off dead\b|\bno reason to (?:live|go on)\b|\bcan'?t go on\b",
    r"\b(?:don'?t|do not) want to (?:live|be alive|wake up|exist)\b",
    r"\bthinking (?:about|of) (?:killing myself|suicide|ending it|ending my life)\b",
    r"\bsuicide (?:plan|note)\b",
    r"\b(?:client|patient|friend|son|daughter|partner|husband|wife|brother|sister|mom|dad|"
    r"mother|father|veteran|student)\b[^.?!]{0,40}\b(?:is|are|seems|feels|said|says|sounds|"
    r"told me|threatening)\b[^.?!]{0,25}\b(?:suicidal|(?:going|wants|plans) to kill (?:himself|"
    r"herself|themselves)|(?:going|wants|plans) to end (?:his|her|their) life)\b",
    r"\boverdos(?:e|ing)\b[^.?!]{0,20}\b(?:on purpose|intentionally|to die)\b",
)]
# "end" alone is too loose: only count "end it all" / "end my life" forms.
_CRISIS[1] = re.compile(r"\bend(?:ing)? (?:it all|my (?:own )?life)\b", re.IGNORECASE)

_DOSING = [re.compile(p, re.IGNORECASE) for p in (
    # buying, getting, making
    # "buy" counts when someone asks how or where, or speaks of themselves ("people buy" does not)
    rf"(?:{_ME}|\bwhere\b|\bhow\b|\bwho\b|\bsomeone\b)[^?.!]{{0,25}}\b(?:buy|purchase|order|score|"
    rf"get hold of|source|find a dealer)\b[^?.!]{{0,40}}{_DRUG}",
    rf"^(?:buy|purchase|order|score)\b[^?.!]{{0,40}}{_DRUG}",
    rf"\b(?:where|how) (?:can|do|could|to|would|should) (?:i |we |you |one )?(?:buy|get|order|find|"
    rf"score|purchase|obtain)\b[^?.!]{{0,40}}{_DRUG}",
    rf"\b(?:make|synthesi[sz]e|cook|manufacture|produce|extract)\b[^?.!]{{0,30}}{_DRUG}",
    rf"\bhow (?:is|are|do you|to) {_DRUG}[^?.!]{{0,20}}\b(?:made|synthesi[sz]ed|produced|cooked|make)\b",
    rf"{_DRUG}[^?.!]{{0,20}}\b(?:recipe|synthesis route|precursors?)\b",
    # personal dosing
    rf"\b(?:how much|how many|what dose|which dose|what amount|how many mg|how many milligrams)\b"
    rf"[^?]{{0,60}}\b(?:should|can|could|do|would|must) (?:i|we|my \w+|you)\b[^?]{{0,30}}"
    rf"(?:take|use|give|dose|try|have|{_DRUG})",
    rf"\b(?:should|can|could|may) (?:i|we)\b[^?.!]{{0,25}}\b(?:take|try|use|microdose|dose|"
    rf"combine|mix)\b[^?.!]{{0,30}}{_DRUG}",
    rf"{_ME}[^?.!]{{0,40}}\b(?:microdos\w*|redos\w*|trip(?:ping)?|roll(?:ing)?|self[- ]medicat\w*|"
    rf"at home|on my own)\b[^?.!]{{0,40}}{_DRUG}",
    rf"{_DRUG}[^?.!]{{0,40}}\b(?:microdos\w*|at home|on my own|by myself|self[- ]medicat\w*)\b",
    # recreational use only with personal or how-to intent: "is molly at a party safe?" is a
    # safety question the knowledge base answers
    rf"(?:{_ME}|\bbest\b|\btips?\b|\bhow (?:much|many|to|do)\b)[^?.!]{{0,40}}{_DRUG}[^?.!]{{0,50}}"
    rf"\b(?:rave|party|festival|club|for fun|get high|recreational(?:ly)?)\b",
    rf"(?:{_ME}|\bbest\b|\btips?\b|\bhow (?:much|many|to|do)\b)[^?.!]{{0,40}}\b(?:rave|party|"
    rf"festival|for fun|get high|recreational(?:ly)?)\b[^?.!]{{0,50}}{_DRUG}",
    rf"\b(?:safe|safest|right|best|max(?:imum)?) (?:dose|amount|dosage)\b[^?.!]{{0,30}}(?:for me|"
    rf"to take|{_ME})",
    r"\btest (?:my|the|our) (?:molly|mdma|ecstasy|pills?)\b",
)]


def classify(question: str) -> str | None:
    """'crisis', 'dosing' or None. Crisis comes first: it outranks everything."""
    if any(p.search(question) for p in _CRISIS):
        return "crisis"
    if any(p.search(question) for p in _DOSING):
        return "dosing"
    return None


def reply_for(kind: str) -> str:
    return {"crisis": CRISIS_REPLY, "dosing": DOSING_REPLY}[kind]
