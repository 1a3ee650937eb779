"""The texts a safety screen answers with: crisis resources and declined dosing, framed for the writer."""

from __future__ import annotations

import re

from kb.safety_framing import is_own_crisis, is_third_person
from kb.safety_text import normalise

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


_OTHER = (r"(?:friend|best friend|bestie|buddy|son|daughter|kid|child|teen|partner|husband|wife|"
          r"boyfriend|girlfriend|bf|gf|ex|fiance|fiancee|brother|sister|mom|dad|mother|father|"
          r"stepdad|stepmom|stepson|stepdaughter|twin|grandma|"
          r"grandpa|grandmother|grandfather|cousin|uncle|aunt|niece|nephew|roommate|coworker|"
          r"co-worker|colleague|classmate|teammate|neighbou?r|boss|freshman|sophomore|"
          r"guy|girl|someone|somebody|person|man|woman|vet|veteran|student|peer|member|driver|"
          r"caller|probie|volunteer|regular|neighbor)")


# design 11: the writer asks how to help, and someone else is the one in danger ("a caller on my
# line just said she swallowed a bottle of pills ... what do i do")
_HOW_TO_HELP = re.compile(r"\b(?:what (?:do|should|can) (?:i|we) do|how (?:do|can|should) (?:i|we) "
                          r"(?:help|hel)|help me help|what now)\b")
_SOMEONE_ELSE = re.compile(r"\b(?:he|she|they|he's|she's|they're|hes|shes|his|her|their)\b")
# design 12: someone reported in the third person by any name ("one of my wrestlers left a
# voicemail", "a patron said he's going to walk into traffic", "one of my handlers told me she's")
_REPORTED = re.compile(r"\bone of (?:my|our|the) (?:\w+ ){0,2}\w+s?\b|\b(?:told|texted|messaged|"
                       r"emailed) me (?:that )?(?:he|she|they)\b|\b(?:said|says|saying) (?:that )?(?:he|she|"
                       r"they)(?:'s| is| was| will| wants| has|'ll)\b")


def _about_other(question: str) -> bool:
    """A friend, relative, co-worker or someone the writer works with in danger: the helper gets
    the framing for someone else too ("my coworker said he's thinking about ending it all")."""
    t = normalise(question)
    named = re.search(rf"\b(?:my|a|our|one of my|the|one) (?:\w+ )?{_OTHER}s?\b|\bsome(?:one|body) "
                      r"(?:in my|i know|i work with|i mentor|at (?:work|school))\b|"
                      rf"^(?:a |the )?(?:\w+ )?{_OTHER}s? (?:in|from|on|at|came|told|said)\b", t)
    # "gave my cat to my sister, I won't be around" is the writer's own danger.
    own = re.search(r"\b(?:i|i'm|im|i've|ive)\b[^.?!]{0,15}\b(?:won'?t|wont|will not|not going to) "
                    r"(?:be|need|survive|make it|last)\b"
                    # design 9: the writer's own leaving ("so they'll have something after i'm
                    # gone", "wont need them", "i picked the 14th", "been stockpiling ...")
                    r"|\b(?:after|when) (?:i'?m|im|i am) gone\b|"
                    r"(?:^|[.,;] ?)won'?t (?:be )?need(?:ing)? (?:them|it|these|those|any)\b|"
                    r"\bi (?:picked|chose|set)\b|^(?:i'?ve |ive |i have |i'?m |im |i )?(?:been )?"
                    r"stockpil"
                    # design 10: the writer's own leave-taking, told with or without "I"
                    # ("wrote letters to my mom and sister tonight", "i transferred my savings to
                    # my little brother"), and wanting to join someone who died
                    r"|^(?:ok |so |ok so |well )?(?:i |i'?ve |ive |i have |i'?m |im )?"
                    r"(?:already |finally |just )?(?:been )?"
                    r"(?:wrote|written|writing|said|gave|given|giving|transferred|sent|asked|"
                    r"made sure|put|left|started giving|paid|cancell?ed|took|sold|signed|deleted|"
                    r"called|told|set|topped|going through|leaving)\b"
                    r"|\bi (?:want|wanna|need) to be with (?:him|her|them|my)\b", t)
    if own:
        return False
    if (_HOW_TO_HELP.search(t) or _REPORTED.search(t)) and _SOMEONE_ELSE.search(t):
        return True
    if not named:
        return False
    # "told my mom I love her for the last time": the relative receives the writer's act.
    t = re.sub(rf"\b(?:i )?(?:told|tell|telling|gave|give|giving|texted|called|hugged|left|wrote|"
               rf"writing|written|sent|kissed|visited|said goodbye to)\b (?:\w+ ){{0,2}}(?:to |for )?"
               rf"(?:my|a|our) (?:\w+ )?{_OTHER}s?\b"
               r"[^.?!]{0,30}", "", t)
    told = re.search(rf"\b{_OTHER}s?\b[^.?!]{{0,40}}\b(?:says?|said|saying|told|tells|wants|is|"
                     r"keeps|kept|texted|posted|wrote|took|has|had|left|sent|called|gave|locked|"
                     r"stopped|won'?t|wont|hasn'?t|just)\b", t)
    pronoun = re.search(r"\b(?:he|she|they|he's|she's|they're|hes|shes|him|her|them|himself|"
                        r"herself|themselves|his|their)\b", t)
    return bool(told or pronoun)
