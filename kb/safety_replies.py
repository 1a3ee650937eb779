"""The texts a safety screen answers with: crisis resources and declined dosing, framed for the writer."""

from __future__ import annotations

import re

from kb.safety_rules import is_own_crisis, is_third_person, normalise

CRISIS_REPLY = (
    "If you or someone else may be in danger right now, call 911. "
    "You can reach the 988 Suicide & Crisis Lifeline at any hour: call or text 988, "
    "or chat at 988lifeline.org. They offer free, confidential support from trained counselors. "
    "This knowledge base cannot help in a crisis, but they can, right now."
)
CRISIS_REPLY_PRACTITIONER = (
    "If the person you are describing may be in immediate danger, call 911 now, and stay with "
    "them (or on the line) until help arrives; remove access to pills, weapons or other means if "
    "you safely can. To connect them with the 988 Suicide & Crisis Lifeline: call 988 together on "
    "speakerphone, or help them text 988 or chat at 988lifeline.org; you can also call 988 "
    "yourself for guidance on supporting them. Then follow your agency's crisis protocol and tell "
    "your supervisor. This knowledge base cannot help in a crisis, but 988 and 911 can, right now."
)
_NOT_ADVISING = (
    "MDMA-assisted therapy is not FDA-approved, and outside authorised research MDMA is a "
    "Schedule I drug in the US."
)
_RESOURCES = (
    "For free, confidential help with substance use, call SAMHSA's National Helpline at "
    "1-800-662-4357 (24/7). If someone may have taken too much of a drug, call Poison Help at "
    "1-800-222-1222, or 911 in an emergency."
)
_RESEARCH_OFFER = (
    "I can describe the doses used in published clinical trials, as research facts: ask, for "
    "example, \"What doses did the phase 3 trials use?\""
)
_DECLINE = {
    "dose": "I can't advise on taking, dosing, buying or making MDMA for personal or recreational "
            "use.",
    "buy": "I can't help with buying or sourcing MDMA outside authorised research.",
    "make": "I can't help with making or synthesising MDMA.",
    "combine": "I can't advise on taking MDMA, alone or with other drugs or medicines, for "
               "personal use; mixing it with antidepressants, stimulants or alcohol carries "
               "real risks that a doctor or pharmacist should discuss with you.",
    "test": "I can't advise on testing or judging a personal supply of MDMA.",
}
_KIND = (
    ("make", re.compile(r"\b(?:make|making|synthes|cook|precursor|safrole|press|produce|extract)")),
    ("buy", re.compile(r"\b(?:buy|order|score|source|dealer|plug|dark ?web|darknet|vendor|sell|"
                       r"shipped|get (?:me|my hands|hold|some|pure|clean|mdma|molly))")),
    ("test", re.compile(r"\b(?:test|reagent|marquis|mecke|strips?|pure|cut with)\b")),
    ("combine", re.compile(r"\b(?:mix|combine|with my|on my|while on|ssri|zoloft|prozac|lexapro|"
                           r"antidepressant|alcohol|drink|adderall|xanax|lsd|ketamine|weed|"
                           r"shrooms|flip)\b")),
)
_PRACTITIONER_NOTE = (
    "If you are asking for a client, a non-judgmental conversation about their use, these "
    "helplines, and a referral to an authorised clinical trial (ClinicalTrials.gov) are what you "
    "can offer."
)


def crisis_reply(question: str) -> str:
    """First-person resources, or the same resources framed for a practitioner or family member."""
    if is_own_crisis(question):
        return CRISIS_REPLY
    return CRISIS_REPLY_PRACTITIONER if is_third_person(question) or _about_other(question) \
        else CRISIS_REPLY


def dosing_reply(question: str) -> str:
    """The decline, today's harm-reduction resources, and the research-fact alternative."""
    t = normalise(question)
    kind = next((k for k, rx in _KIND if rx.search(t)), "dose")
    parts = [_DECLINE[kind], _NOT_ADVISING, _RESOURCES]
    if is_third_person(question):
        parts.append(_PRACTITIONER_NOTE)
    parts.append(_RESEARCH_OFFER)
    return " ".join(parts)


def _about_other(question: str) -> bool:
    """A friend or family member in danger: the helper gets the practitioner framing too."""
    return bool(re.search(r"\bmy (?:friend|son|daughter|partner|husband|wife|brother|sister|mom|"
                          r"dad|mother|father|kid|child|roommate)\b[^.?!]{0,40}\b(?:says?|said|"
                          r"told|wants|is|texted|posted|took)\b", normalise(question)))
