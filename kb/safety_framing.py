"""Who is asking and why: research, policy or practitioner framing, and a request of the writer's own (pure).

The dosing rules (kb/safety_rules.py), the model's dosing vote (kb/safety_gates.py) and the crisis
reply's framing (kb/safety_replies.py) all read these.
"""

from __future__ import annotations

from kb.safety_text import _USE, _rx, normalise

# The writer asks for themselves (or a named person) despite a trial, the VA or a protocol in the
# message: "the trial wouldn't take me, so how much should I take", "I want to try the trial dose
# on myself". Research words veto the dosing rules and the model's dosing vote only without it.
OWN_REQUEST = _rx(
    r"\b(?:should|can|could|do|would) (?:i|we|u)\b[^.?!]{0,25}\b(?:take|dose|use|try|start|buy|"
    r"follow|copy|drop|microdose|redose)\b",
    rf"\b(?:should|can|could|do|would) (?:i|we|u)\b[^.?!]{{0,25}}\b(?:get|find|have|do)\b"
    rf"[^.?!]{{0,20}}{_USE}(?! (?:into|onto|approved|covered|rescheduled|on (?:the|our) formulary))",
    r"\b(?:do|take|try|dose|use)\b[^.?!]{0,25}\b(?:alone|on my own|by myself)\b",
    r"\bhow (?:much|many)\b[^.?!]{0,30}\b(?:should|can|do) (?:i|we|u) (?:take|have|do|use|drop|try)\b",
    r"\b(?:on|for|by) (?:myself|my self)\b|\bmyself\b|\b(?:i|me|my)\b[^.?!]{0,40}\bat home\b",
    r"\bmy own\b(?! (?:understanding|curiosity|knowledge|interest|research|notes|paper|reading))",
    r"\b(?:any|is there a|is there any) way (?:to|i can|for me to) (?:get|buy|order)\b|"
    r"\bwho (?:sells|can sell|will sell|ships)\b",
    r"\b(?:i|i'm|im) (?:want|going|gonna|wanna|plan|planning|trying)\w*\b[^.?!]{0,30}\b(?:take|"
    r"try|do|dose|buy|get|microdose|drop)\b",
    r"\b(?:wouldn'?t|won'?t|wont|wouldnt|didn'?t|didnt|can'?t|cant|not) (?:take|accept\w*|qualify|"
    r"get into|let|cover|prescribe|give)\b[^.?!]{0,20}\b(?:me|i)?\b|\bturned (?:me )?down\b|"
    r"\b(?:was|am|got) rejected\b",
    r"\b(?:trials?|studies|study|waitlist)\b[^.?!]{0,10}\b(?:are|is|was|were) (?:full|closed|over)\b|"
    r"\bstudy ended\b|\bsince the\b[^.?!]{0,20}\b(?:ended|won'?t|wont|closed)\b",
    rf"\b(?:where|how) (?:can|could|do|would) (?:i|a vet|a veteran|someone|one|u|you)\b[^.?!]{{0,15}}"
    rf"\b(?:get|buy|find|order|score)\b(?! into| in\b| enrolled)[^.?!]{{0,20}}{_USE}",
    r"\bis there (?:a|any) way to (?:buy|get|order)\b|\bsent to me\b|\bwithout enrolling\b",
    r"\b(?:is|would) \d+ ?mg\b[^.?!]{0,30}\b(?:too much|enough|right|ok|okay|safe) for me\b|"
    r"\bis \d+ ?mg right\b",
)

# Research, trial and policy framing: a dose question here is a research fact, not a request.
RESEARCH = _rx(
    r"\b(?:trials?|studies|study|phase ?[123]|participants|protocol|research\w*|mapp ?[12]|pilot|"
    r"researchers|fda|dea|policy|insurance|medicaid|medicare|va|patients|clinics?|psychiatrists?|"
    r"prescri(?:bers?|ptions?|bing)|legal(?:ly)?|statistics|stats|numbers|data|grant|report|article|quiz|exam|"
    r"right to try|expanded access|compassionate use|doctors|physicians|pharmacies|pharmacists|"
    r"hospitals|rescheduled|rescheduling|approved|approval|formulary|programs?|late stage|"
    r"training|trainings|curriculum|workshop|in-service|supplemental dose)\b|"
    r"\bread about\b|\bpublished\b",
)
# A practitioner asking how to respond to a client is asking for guidance, not for drugs.
PRACTITIONER_GUIDANCE = _rx(
    r"\b(?:what (?:do|should|can) i|how (?:do|should|can) i) (?:say|tell|respond|talk|bring up|"
    r"explain|document|support|answer|approach|handle|address|react|counsel|discuss|raise|advise)\b"
    r"(?! them the best)",
    r"\b(?:can|should|may) i (?:tell|share (?:it )?with|explain (?:it )?to|say to)\b(?! them the best)",
    r"\b(?:advice|information|resources|tips|harm reduction)\b[^.?!]{0,20}\b(?:can|should|do) i "
    r"(?:give|offer|share)\b",
    r"\bhow (?:should|do|can|would) (?:a|an|the) (?:clinician|therapist|social worker|counsel?lor|"
    r"provider|nurse|practitioner|case manager|peer) (?:respond|reply|answer|approach|handle|react)\b",
    # design 10: "any guidance on how to discuss risk with him?"
    r"\b(?:guidance|advice|tips|help)\b[^.?!]{0,12}\b(?:on|for|about|with) (?:how (?:to|i can|i "
    r"should) )?(?:discuss|talk|approach|respond|address|bring (?:it |this )?up|handle|support|"
    r"counsel|frame|raise)\b",
)
THIRD_PERSON = _rx(
    # not the writer's own identity ("i'm a veteran and i've thought about suicide")
    r"(?<!i'm )(?<!im )(?<!am )(?<!as )\b(?:my|a|the|one of my|our) (?:client|patient|student|"
    r"supervisee|veteran|teen|youth|resident|member)s?\b",
    r"\b(?:client|patient)s?\b", r"\bcaseload\b", r"\b(?:i work with|i see|on my caseload)\b",
    r"\bi case ?manage\b", r"\b(?:a|one|our|my) group member\b|^group member\b",
    r"\b(?:i'm|i am|im|as) an? (?:\w+ )?(?:social worker|case (?:manager|worker)|counselor|therapist|nurse|"
    r"teacher|clinician|peer specialist)\b",

    # Design 10: clinicians' and other helpers' shorthand ("psych nurse on nights. pt just told
    # me", "shift note: pt in bed 4", "teacher here,", "school counselor.", "my parolee").
    r"\bpts?\b|\bshift note\b|\b(?:bed|rm|room) \d+\b|\b\d{1,2} ?[mf]\b",
    r"^(?:[\w']+ ){0,5}(?:nurse|counsel?lor|teacher|chaplain|officer|mentor|volunteer|"
    r"supervisor|worker|specialist|coach|pastor|therapist|clinician|doctor|physician|psychiatrist|"
    r"psychologist|medic|paramedic|emt|lead|agent|manager|captain|staff|sergeant|foreman|owner|"
    r"host|admin|moderator|tech)s?(?: here| on nights| on days)?\b"
    r"(?=[,.:;]| here| on| at| in| for| with| and)",
    r"\b(?:parolees?|probationers?|foster (?:youth|kids?|child(?:ren)?)|\w+ graders?|mentees?|"
    r"campers?|residents?|inmates?|detainees?)\b",
)
# The writer's own danger: the first-person crisis reply, even from a practitioner.
FIRST_PERSON_CRISIS = _rx(
    r"\b(?:myself|my self|my own life|my life|kill me|i want to die|i wanna die|i'm suicidal|"
    r"im suicidal|i am suicidal|i don'?t want to (?:live|be alive)|without me)\b",
    # design 11: the writer's own despair or plan, in the first person
    r"\bi (?:can'?t|cant|cannot) (?:do this|keep going|go on)\b|\bi (?:don'?t|dont|do not) want to "
    r"wake up\b|\bi (?:don'?t|dont|do not) see (?:any|a|the) (?:reason|point)\b|\bi (?:\w+ )?(?:want|"
    r"wanna) to die\b|\bwhat if i just\b|\bi (?:just )?want it "
    r"(?:all )?to (?:stop|end)\b|\bi know (?:exactly )?how i'?d do it\b|\bto not wake up\b",
)


def _guidance(t: str) -> bool:
    return bool(PRACTITIONER_GUIDANCE.search(t) and THIRD_PERSON.search(t))


# The writer copying a trial for themselves: "can I take 120mg and then 60mg like the trial",
# "if I copy the phase 3 doses at home". A dosing request even with no drug word.
TRIAL_COPY = _rx(
    rf"\b(?:should|can|could|do) (?:i|we)\b[^.?!]{{0,20}}\b(?:take|dose|do|use|try|follow|copy|drop)\b"
    rf"[^.?!]{{0,30}}(?:\b\d+ ?(?:mg)?\b|{_USE}|\bdoses?\b|\bprotocol\b|\bbooster\b|\bamount\b)",
    r"\b(?:copy|follow|replicate|recreate|do)\b[^.?!]{0,30}\b(?:protocol|doses?|sessions?)\b"
    r"[^.?!]{0,30}\b(?:myself|at home|on my own|alone)\b",
    rf"\b(?:myself|at home|on my own|alone)\b[^.?!]{{0,40}}(?:\b\d+ ?mg\b|{_USE}|\bdoses?\b|"
    rf"\bprotocol\b|\bbooster\b)",
    r"\b\d+ ?mg\b[^.?!]{0,40}\b(?:too much|enough|right|ok|okay|safe) for me\b",
)


def research_framing(t: str) -> bool:
    """Research, trial or policy words with no request of the writer's own (normalised text)."""
    return bool(RESEARCH.search(t)) and not OWN_REQUEST.search(t)


def is_third_person(text: str) -> bool:
    """The writer speaks about a client, patient or student rather than about themselves."""
    return bool(THIRD_PERSON.search(normalise(text)))


def is_own_crisis(text: str) -> bool:
    """First-person crisis words ("myself", "I want to die"), whoever the writer is."""
    return bool(FIRST_PERSON_CRISIS.search(normalise(text)))
