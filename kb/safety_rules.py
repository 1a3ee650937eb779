"""Plain-code safety rules: the unambiguous crisis, dosing and benign-context phrases (pure)."""

from __future__ import annotations

import re

_DRUG = r"(?:mdma|molly|mollies|ecstasy|ecstacy|extasy|\bxtc\b|mandy|\be\b pills?)"
_SELF = r"(?:myself|my self|myslef|meself)"
_THEM = r"(?:himself|herself|themselves|themself)"
_WANT = r"(?:wants?|wanna|going|gonna|plan|planning|ready|trying|need|wish|decided)"
# The drug as a substance, not as part of "MDMA therapy", "an MDMA trial" or "MDMA access".
_USE = _DRUG + r"(?![- ]?(?:assisted|therapy|therapies|treatment|trials?|research|stud\w+|" \
    r"sessions?|access|programs?|policy|laws?|rescheduling)\b)"


def _rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


CRISIS = _rx(
    r"\bkms\b", r"\bkys\b", r"\bun-?aliv(?:e|ing)\b", r"\bsewer ?slide\b",
    rf"\bkill?(?:ing)? (?:{_SELF}|{_THEM})\b", rf"\b(?:hurt|harm|cut|shoot|hang|poison)(?:ing)? "
    rf"(?:{_SELF}|{_THEM})\b",
    r"\b(?:end|ending|take|taking) (?:my|his|her|their) (?:own )?life\b",
    r"\bend(?:ing)? it all\b(?! with (?:this|the|my|our))",
    r"\b(?:i|i'm|im|i am|i've|ive|been|feel|feeling|is|sounds|seems|getting)\b[^.?!]{0,20}"
    r"\b(?:suicidal|suicidle|suicidel)\b",
    r"\b(?:thinking (?:about|of)|feeling|feel|commit\w*|attempt(?:ing)?|contemplating) "
    r"(?:suicid\w*|suicde|suicidle|sucide)",
    r"\bsuicide (?:plan|note)\b|\bthreatening suicide\b|\bsuicidal ideation with\b",
    rf"\b{_WANT} (?:to|too) die\b|\bwanna die\b|\bwish i (?:was|were) dead\b|\brather be dead\b",
    r"\bbetter off (?:dead|without (?:me|him|her|them))\b|\bbetter without me\b",
    r"\b(?:don'?t|doesn'?t|do not|does not|dont|doesnt) wants? to (?:live|be alive|wake up|exist|"
    r"be here|go on)\b",
    r"\b(?:gun|knife|pills|rope)\b[^.?!]{0,40}\b(?:on|to) (?:myself|me)\b",
    r"\bi (?:think|keep thinking|been thinking|am thinking) about (?:dying|death|being dead)\b",
    r"\breason to (?:keep )?(?:living|live|go on|be alive)\b|\bdone with (?:life|living)\b",
    r"\bdisappear (?:forever|for good|and never)\b|\b(?:ready|want|wanna) to be gone\b",
    r"\b(?:bought|got|have) (?:a|the) (?:rope|noose)\b|\bnoose\b",
    r"\b(?:nobody|no one|no1) (?:will|would|is going to) (?:miss|care|notice)\b",
    r"\b(?:i'm|im|i am|i feel like) a burden\b|\bmade my peace\b",
    r"\b(?:don'?t|dont|not|never) wake up\b",
    r"\btalking about (?:dying|killing|suicide|ending (?:it|things|her life|his life))\b",
    r"\bwant to not (?:exist|be here|be alive)\b",
    r"\bnot (?:be|being) (?:here|around|alive) (?:anymore|any more|much longer)\b",
    r"\b(?:won'?t|wont) be around\b|\bsleep forever\b",
    r"\bgoodbye letters?\b(?! to a client)|\b(?:texted|said) (?:me )?goodbye\b(?! to (?:a|the|my) client)",
    r"\b(?:take|taking|took|swallow\w*) (?:all|every one) of (?:my|her|his|their|the) "
    r"(?:pills|meds|medication)|\b(?:take|taking|took) all (?:my|her|his|their) (?:pills|meds)\b",
    r"\b(?:whole|a) (?:handful|bottle|bag) of (?:my |her |his )?(?:pills|meds|molly)\b",
    r"\blethal dose\b|\bwould it take to (?:die|overdose|not wake|kill)|\bwould kill me\b",
    r"\boverdos\w* (?:on purpose|intentionally|to die)\b|\bstop my heart\b",
    r"\bno (?:reason|point) (?:to|in) (?:keep )?(?:living|live|go on|going on)\b",
    r"\bnothing (?:left )?to live for\b|\bcan'?t (?:go on|keep living)\b",
    r"\bwant (?:it all|everything) to (?:end|be over|stop)\b|\bbe over for good\b",
    r"\bgiving away my (?:things|stuff)\b|\bways to die\b|\bway to (?:die|end things|end it)\b",
    r"\b(?:pills|meds) saved up\b|\bsaved up (?:my )?(?:pills|meds)\b|\bstockpil\w*",
    r"\bjump(?:ing)? off (?:a|the) (?:bridge|building|roof)\b|\bjump tonight\b",
    r"\b(?:end|ending) (?:it|things)\b(?: (?:tonight|tn|today|now|for good|after|this weekend))",
    r"\btonight is the night\b|\bthis is my last message\b",
    r"\b(?:can'?t|cannot|can not|don'?t think i can|dont think i can|not sure i can) (?:keep )?"
    r"(?:living|go on|going on|keep going)\b",
    r"\btired of (?:being alive|living|life|existing)\b|\b(?:stop|end|over) for good\b",
    r"\b(?:i'm|im|i am|standing|going to|go to|looked up|heading to)\b[^.?!]{0,20}\b(?:bridge|"
    r"ledge|rooftop|train tracks)\b",
    r"\bcheck(?:ing)? out (?:for good|permanently|forever)\b",
    r"\b(?:pills|meds|medication|bottle)\b[^.?!]{0,40}\b(?:all at once|them all)\b",
    r"\bsaving (?:up )?(?:my |her |his )?(?:pills|meds)\b",
    r"\b(?:gave|giving|given) away (?:my|her|his|their|all)\b|\b(?:won'?t|wont) need (?:them|it|"
    r"my|these|anything|any of)\b",
    r"\b(?:painless|quick|quickest|easiest|surest) way to (?:go|die|end)\b",
    r"\b(?:wrote|written|writing|finished) (?:my )?(?:will|suicide note|last letter)\b",
    r"\b(?:looking at|staring at|holding) (?:the|my|a) (?:pill bottle|pills|gun|rope|knife)\b",
)

# A crisis phrase inside these is a statistic, a project or a process, not a person in danger.
CRISIS_LOOKALIKE = _rx(
    r"\b(?:kill|end|stop) (?:the |a |this )?(?:process|job|task|program|stigma|session|essay)\b",
    r"\bfor (?:my|an|our|a) (?:essay|paper|class|project|presentation|thesis|report)\b",
)
MAKE = _rx(
    rf"\b(?:make|making|produce|cook|press|synthesi[sz]e)\b (?:my own |some |pure )?{_DRUG}"
    r"(?!\s*(?:-|\s)?(?:assisted|therapy|treatment|trials?|research|stud\w+|sessions?|available|"
    r"accessible|affordable|legal|a |an |the |more |less |cheaper|schedule|covered))",
    rf"\bsynthes[ie]s\w*\b[^.?!]{{0,30}}{_DRUG}|{_DRUG}[^.?!]{{0,20}}\bsynthes\w*",
    r"\bprecursors?\b|\bsafrole\b|\bsassafras\b|\bpmk\b|\breductive amination\b|\bhome lab\b",
    rf"\bhow (?:is|are|do you|to) {_DRUG} (?:made|cooked|synthesi[sz]ed)\b",
    r"\bchemicals\b[^.?!]{0,25}\bmake\b|\bpress my own\b|\bmake ecstasy pills\b",
)
# Who may make MDMA legally, and how trial MDMA is made: a regulation question ("who
# manufactures the MDMA for trials", "a DEA registration to produce MDMA for research").
MAKE_REGULATION = _rx(
    r"\b(?:gmp|manufacturers?|licen[cs](?:e|es|ed|ing)|registrations?|registered|pharma|"
    r"pharmaceutical|compan(?:y|ies)|sponsors?|universit(?:y|ies)|schedule (?:i|ii|iii|1|2|3))\b",
)
# ...unless the writer asks for the procedure or a place of their own: that stays a request.
MAKE_OWN = _rx(
    r"\b(?:home|kitchen|garage|house|my own|myself|my self|for me|personal|to sell)\b",
    r"\b(?:precursors?|safrole|sassafras|pmk|reductive amination|recipe|steps?|step by step|"
    r"equipment|chemicals|ingredients|from scratch)\b",
)

BUY = _rx(
    rf"\b(?:where|how)\b[^.?!]{{0,25}}\b(?:buy|get|find|score|order|purchase|source)\b"
    rf"(?: some| pure| clean| my hands on| hold of)?[^.?!]{{0,12}}{_USE}",
    rf"\b(?:order|buy|purchase)\w*\b[^.?!]{{0,15}}{_USE}[^.?!]{{0,25}}\b(?:online|telegram|"
    r"snapchat|instagram|dark ?web|darknet)\b",
    rf"\bfor me to (?:order|buy|get)\b|\bget me (?:some )?{_USE}",
    rf"^(?:buy|order|score|purchase)\b[^.?!]{{0,20}}{_DRUG}",
    rf"\b(?:dark ?web|darknet|plug|dealer|vendors?|telegram)\b[^.?!]{{0,40}}{_DRUG}|"
    rf"{_DRUG}[^.?!]{{0,20}}\b(?:dark ?web|darknet|dealer|plug)\b",
    rf"\bwho sells {_DRUG}|\b{_DRUG} shipped\b|\bget my hands on\b",
    rf"\bget {_USE}[^.?!]{{0,30}}\b(?:without|outside)\b",
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
    rf"{_USE}[^.?!]{{0,30}}\b(?:marquis|mecke|simon'?s|reagent)\b",
    rf"\b(?:i|i'm|im) (?:want|going|gonna|wanna|plan)\w* to (?:take|try|do|microdose)\b"
    rf"[^.?!]{{0,20}}{_USE}",
    rf"{_USE}[^.?!]{{0,30}}\b(?:on my own|at home|alone|by myself)\b",
    rf"\b(?:test|check)\b[^.?!]{{0,15}}\bmy\b[^.?!]{{0,15}}(?:{_DRUG}|pills?)",
    rf"\bmy\b[^.?!]{{0,20}}(?:{_DRUG}|pills?)\b[^.?!]{{0,40}}\b(?:marquis|mecke|reagent|test|"
    r"turned|pure|cut with)\b",
    r"\b(?:marquis|mecke|simon'?s|reagent)\b[^.?!]{0,40}\b(?:my|mdma turn)\b",
    r"\bcandy ?flip|\bhippie ?flip|\bmake (?:my |the )?roll\b|\bredose\b",
    r"\b(?:therapy|session|trip) on myself\b",
    rf"\b(?:best|good) {_DRUG} for\b|\b(?:take|try|do|on) {_DRUG} (?:at|for) (?:a |the )?"
    r"(?:rave|party|festival|club|edc)\b",
)

# Research, trial and policy framing: a dose question here is a research fact, not a request.
RESEARCH = _rx(
    r"\b(?:trials?|studies|study|phase ?[123]|participants|protocol|research\w*|mapp ?[12]|pilot|"
    r"researchers|fda|dea|policy|insurance|medicaid|medicare|va)\b|\bread about\b|\bpublished\b",
)
# A practitioner asking how to respond to a client is asking for guidance, not for drugs.
PRACTITIONER_GUIDANCE = _rx(
    r"\b(?:what (?:do|should|can) i|how (?:do|should|can) i) (?:say|tell|respond|talk|bring up|"
    r"explain|document|support|answer)\b(?! them the best)",
)
THIRD_PERSON = _rx(
    r"\b(?:my|a|the|one of my|our) (?:client|patient|student|supervisee|veteran|teen|youth|"
    r"resident|member)s?\b",
    r"\b(?:client|patient)s?\b", r"\bcaseload\b", r"\b(?:i work with|i see|on my caseload)\b",
    r"\b(?:i'm|i am|im|as) an? (?:social worker|case (?:manager|worker)|counselor|therapist|nurse|"
    r"teacher|clinician|peer specialist)\b",
)
# The writer's own danger: the first-person crisis reply, even from a practitioner.
FIRST_PERSON_CRISIS = _rx(
    r"\b(?:myself|my self|my own life|my life|kill me|i want to die|i wanna die|i'm suicidal|"
    r"im suicidal|i am suicidal|i don'?t want to (?:live|be alive)|without me)\b",
)


def normalise(text: str) -> str:
    """Lowercase, straight apostrophes, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.sub(r"\s+", " ", text).strip()


def crisis_rule(text: str) -> bool:
    t = normalise(text)
    return bool(CRISIS.search(t)) and not CRISIS_LOOKALIKE.search(t)


def _guidance(t: str) -> bool:
    return bool(PRACTITIONER_GUIDANCE.search(t) and THIRD_PERSON.search(t))


def dosing_rule(text: str) -> bool:
    """A plain request to make, buy, dose, combine or test MDMA for oneself or someone named."""
    t = normalise(text)
    if _guidance(t):
        return False
    if MAKE.search(t):
        regulation = RESEARCH.search(t) or MAKE_REGULATION.search(t)
        return not regulation or bool(MAKE_OWN.search(t))
    if BUY.search(t):
        return not RESEARCH.search(t) or bool(OUTSIDE.search(t))
    if PERSONAL_USE.search(t):
        return not RESEARCH.search(t)
    if PERSONAL_DOSE.search(t) and re.search(_USE + r"|\bdose\b|\broll\b|\bredose\b", t):
        return not RESEARCH.search(t)
    return False


def is_third_person(text: str) -> bool:
    """The writer speaks about a client, patient or student rather than about themselves."""
    return bool(THIRD_PERSON.search(normalise(text)))


def is_own_crisis(text: str) -> bool:
    """First-person crisis words ("myself", "I want to die"), whoever the writer is."""
    return bool(FIRST_PERSON_CRISIS.search(normalise(text)))
