"""When the safety classifier's votes count: the vocabularies that gate them (pure).

The rules (kb/safety_rules.py) decide on their own; the model's crisis vote needs a word of the
crisis vocabulary and no work or study context, its dosing vote needs a drug or dose word and no
research, therapy or practitioner framing, and a dosing rule about testing one's own supply
outranks its crisis vote unless harm is named.
"""

from __future__ import annotations

import re

# Siblings in one package: the drug pattern, the pattern builder and the framing the rules use.
from kb.safety_framing import OWN_REQUEST, RESEARCH, _guidance
from kb.safety_rules import CRISIS_LOOKALIKE
from kb.safety_text import _DRUG, _rx, normalise

# Work, study and computing words: the model's crisis vote alone is not trusted next to them
# ("end it all with this group project", "kill a background job").
WORK_CONTEXT = _rx(
    r"\b(?:project|essay|assignment|homework|class|semester|paper|thesis|presentation|literature "
    r"review|process|job|linux|python|laptop|port|server|code|statistics|rates?|history of|"
    r"closing a case|session with a client|goodbye letter to a client|dead tired|goodbye to (?:my )?"
    r"clients|lol|lmao|haha|game|boss fight|final boss|level|episode|season|finale|show|team|"
    r"overtime|inning|playoffs?|league|refs?|match|character|minecraft|sims|plants?|battery|"
    r"spreadsheet|tax|marathon|comedian|boss|typo|meeting|zoom|deadline|inbox|email|book|novel|"
    r"movie|film|hero|villain|plot|story|scene|song|lyrics)\b",
)

# The model's vote counts only next to words of its own class: an embedding places any message
# somewhere, and off-topic ones ("the weather in Chicago") can land near either class. These
# lists are broad on purpose (recall first); the model decides among the messages they admit.
DISTRESS = _rx(
    r"\b(?:die|dying|died|dead|death|kill\w*|kil|suicid\w*|suicde|sewer|unaliv\w*|kms|kys|life|"
    r"live|living|alive|exist|end|ending|over|done|gone|goodbye|bye|hurt|harm|cut|pain|painless|"
    r"pills?|meds|bottle|overdos\w*|lethal|rope|gun|knife|bridge|jump|wake|sleep|burden|hopeless|"
    r"anymore|disappear|peace|miss me|without me|giving away|gave away|last|tonight|tn|plan|"
    r"can'?t|cant|won'?t|nothing|nobody|point|forever|permanent\w*|check out|checking out|will|"
    r"ready|note|letters?|belongings|fatal|stop|tired|ledge|roof|edge|tracks|insulin|tylenol|"
    r"sleeping|through with|leave|leaving|away|need them)\b",
)
DRUG_TALK = _rx(
    rf"{_DRUG}|\b(?:dose\w*|dosage|mg|milligrams?|pills?|caps?|tabs?|roll\w*|redose|microdos\w*|"
    r"high|trip\w*|rave|festival|edc|party|plug|dealer|reagent|marquis|mecke|test kit|strips?|"
    r"synthes\w*|precursors?|safrole|cook\w*|press\w*|crystal|powder|candyflip|flip)\b",
)

# Testing one's own supply ("my pills turned orange with the reagent"): "pills" is a crisis word
# ("taking all my pills"), so the model's crisis vote can land on these; the words of harm
# below keep a test message with any sign of danger on the crisis side.
SUPPLY_TEST = _rx(
    r"\b(?:reagents?|marquis|mecke|mandelin|simon'?s|froehde|ehrlich|hofmann|liebermann|"
    r"test(?:ing)? kits?|test strips?|"
    r"fentanyl strips?)\b",
)
HARM_WORDS = _rx(
    r"\b(?:die|dying|dead|death|kill\w*|suicid\w*|overdos\w*|lethal|wake|end|ending|over|gone|"
    r"goodbye|forever|heart|all|at once|anyway|anymore|hurt|harm|care|done)\b",
)

# Figures of speech that the embedding places among crises ("this workout will be the death of
# me", "I could kill for a coffee"): the model's crisis vote does not count on them (rules do).
IDIOM = _rx(
    r"\b(?:be|is|was) the death of me\b|\bcould kill for\b|\bdying (?:to|for) (?:know|see|try|get|"
    r"hear|go|a)\b|\bdying (?:of )?laugh\w*|\bkilling it\b|\bcrawl (?:under|into) a (?:rock|hole)\b|"
    r"\bdead to me\b|\bkilled it\b|\bdied laughing\b|\bdie (?:of|from) (?:embarrassment|shame|"
    r"boredom|cringe|laughter|laughing)\b|\bdie laughing\b",
)

THERAPY = _rx(r"\b(?:therapy|therapies|therapist|sessions?|treatment|clinics?)\b")
# A general question about risks or facts, asked by no one in particular ("How often is street
# molly actually not MDMA?", "Is it safe to drink tons of water on ecstasy?").
FACT_QUESTION = _rx(
    r"^(?:is it (?:safe|dangerous|risky|bad|true)|how (?:often|common|likely|many people)|"
    r"what (?:percentage|proportion|share|fraction|are the (?:risks|signs|dangers|effects))|"
    r"why (?:do|does|is|are|did)|does|do people)\b",
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|myself|we|u)\b")


def benign_context(text: str) -> bool:
    """Research, policy or therapy framing, or a practitioner asking how to respond.

    Vetoes the model's dosing vote (the rules have their own, narrower, research veto).
    """
    t = normalise(text)
    fact = FACT_QUESTION.search(t) and not _FIRST_PERSON.search(t)
    # Design 6: research or therapy words veto only when the writer asks nothing for themselves
    # ("the trial wouldn't take me, so how much should I take" stays a request).
    framed = (RESEARCH.search(t) or THERAPY.search(t)) and not OWN_REQUEST.search(t)
    return bool(framed or fact or _guidance(t))


def distress_words(text: str) -> bool:
    """Any word of the crisis vocabulary (the model's crisis vote needs one)."""
    return bool(DISTRESS.search(normalise(text)))


# Words of the scene, not of the drug ("how do i make lumpia crispy for a party"): on their own
# they do not admit the model's ordinary dosing vote (design 10).
_SCENE_ONLY = re.compile(r"\b(?:high|trip\w*|rave|festival|edc|party|cook\w*|press\w*|crystal|"
                         r"powder|flip)\b")


def drug_words(text: str) -> bool:
    """A word about MDMA, doses or supply beyond words of the scene (the model's dosing vote
    needs one)."""
    return bool(DRUG_TALK.search(_SCENE_ONLY.sub(" ", normalise(text))))


# Design 7: the model's strong dosing vote (kb/safety.py) needs a word of use or supply, which
# is broader than DRUG_TALK ("can i take a booster like 2 hours in", "snap the tablet in two"),
# and, next to research or therapy framing, the writer speaking for themselves, not for a
# workplace ("im doing it solo. mg amount for a first go?", not "i work at the va, how would we
# get mdma into our formulary").
USE_TALK = _rx(
    r"\b(?:take|taking|took|bump|booster|tablets?|half|crystals?|snort\w*|parachut\w*|bomb\w*|"
    r"swallow|cop|score|points?|grams?)\b",
)
_SINGULAR_SELF = re.compile(r"\b(?:i|i'm|im|me|my|myself|solo)\b")
_FOR_A_WORKPLACE = re.compile(r"\b(?:we|our|us)\b|\bi (?:work|am an?)\b|\bi'?m an? "
                              r"(?:therapist|social worker|nurse|doctor|counsell?or|clinician)\b")


def use_words(text: str) -> bool:
    t = normalise(text)
    return bool(DRUG_TALK.search(t) or USE_TALK.search(t))


# Design 9: a plan with a day of its own is the writer's, with or without "I" ("does ketamine mix
# ok with mdma, planning for saturday").
_OWN_PLAN = re.compile(r"\b(?:planning|plan|planned|going) (?:for|on) (?:tonight|tomorrow|this weekend|"
                       r"next weekend|the weekend|(?:this |next )?(?:friday|saturday|sunday))\b")


def speaks_for_self(text: str) -> bool:
    t = normalise(text)
    return bool(_SINGULAR_SELF.search(t) or _OWN_PLAN.search(t)) and not _FOR_A_WORKPLACE.search(t)


# Design 9: a general question about amounts or rates that names no one ("How many guessed
# right?", a follow-up in a conversation about unblinding): the model's crisis vote with no crisis
# word does not count on it (the rules and the vote next to a crisis word still do).
_GENERAL_QUESTION = re.compile(r"^(?:how (?:many|much|often|common|likely|long)|what (?:percentage|"
                               r"proportion|share|fraction|number))\b")
_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|me|my|myself|mine|we|us|our|he|she|they|him|her|them|"
                     r"his|hers|their|hes|shes|u|ur|client|patient|student|friend|someone|somebody|"
                     r"person|man|woman|guy|girl|kid|son|daughter|husband|wife|partner|brother|"
                     r"sister|mom|dad)\b")


# Design 12: a short question naming no one ("What happens next?", a default-set follow-up the
# retrained model gave a crisis vote) counts as general too.
_SHORT_QUESTION = re.compile(r"^(?:what|how|when|where|why|which|who|is|are|does|do|did|can|will|"
                             r"was|were)\b[^?]*\?$")


def general_question(text: str) -> bool:
    t = normalise(text).strip()
    if _PERSON.search(t):
        return False
    return bool(_GENERAL_QUESTION.search(t)) or (len(t.split()) <= 6 and bool(_SHORT_QUESTION.match(t)))


def work_context(text: str) -> bool:
    """Study, work or computing words (vetoes a crisis vote that no rule backs)."""
    return bool(WORK_CONTEXT.search(normalise(text)) or CRISIS_LOOKALIKE.search(normalise(text)))


def idiom(text: str) -> bool:
    """A figure of speech about death or killing (the model's crisis vote does not count)."""
    return bool(IDIOM.search(normalise(text)))


def harm_words(text: str) -> bool:
    """A word of harm ("lethal", "overdose", "all at once"): a dosing rule does not outrank the
    model's crisis vote next to one."""
    return bool(HARM_WORDS.search(normalise(text)))


def supply_test(text: str) -> bool:
    """Testing one's own supply, with no word of harm (a dosing rule outranks the model's
    crisis vote on it)."""
    t = normalise(text)
    return bool(SUPPLY_TEST.search(t)) and not HARM_WORDS.search(t)
