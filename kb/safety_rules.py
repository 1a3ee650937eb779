"""Plain-code safety rules: the unambiguous crisis, dosing and benign-context phrases (pure)."""

from __future__ import annotations

import re

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

CRISIS = _rx(
    r"\bkms\b", r"\bkys\b", r"\bctb\b", r"\bun-?aliv(?:e|ing)\b", r"\bsewer ?slide\b",
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
    r"\breason to (?:keep )?(?:living|live|go on|be alive|breath\w*)\b|\bdone with (?:life|living)\b",
    r"\bpoint (?:of|in) (?:keep )?(?:breathing|living|being alive)\b|\bbleed(?:ing)? out\b",
    r"\b(?:floor|building|bridge|garage|drop|fall)\b[^.?!]{0,25}\bhigh enough\b",
    r"\b(?:makes? it|make it) (?:permanent|look like an accident)\b|\bnot (?:coming|come) back\b",
    r"\b(?:hope|hoping|praying|pray)\b[^.?!]{0,30}\b(?:don'?t|dont|doesn'?t|doesnt|never|not) "
    r"(?:wake|come|make it)\b|\bhit by a (?:bus|car|train)\b",
    r"\b(?:insurance|life insurance)\b[^.?!]{0,40}\b(?:at least|when i'?m gone|covers everything)\b",
    r"\bwhen i'?m gone\b|\bstopp?(?:ed|ing) existing\b|\bwith the car running\b",
    r"\b(?:better|easier)\b[^.?!]{0,30}\bif i (?:just )?(?:wasn'?t|wasnt|weren'?t|werent|was not|were not)"
    r" (?:here|around|alive|in it|born)\b",
    r"\bif i (?:just )?(?:disappeared|vanished|was gone|were gone|died)\b",
    r"\b(?:which|what) (?:bridge|overpass|parking (?:deck|garage)|cliff|rooftop)\b[^.?!]{0,25}"
    r"\b(?:highest|tallest|the most deadly|deadliest)\b",
    r"\b(?:picked|chose|chosen|found) (?:out )?(?:the|a) (?:spot|place|day|date|time|method)\b"
    r"[^.?!]{0,20}\b(?:and|&) (?:the|a) (?:spot|place|day|date|time|method)\b",
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
    r"\b(?:swallow\w*|took|taken|take|taking|ate|downed)\b[^.?!]{0,10}\b(?:a bunch|a lot|a fistful|a pile|"
    r"a load|loads|tons) of (?:my |her |his |their |the )?(?:pills|meds|medications?|tablets)\b",
    r"\blethal dose\b|\bwould it take to (?:die|overdose|not wake|kill)|\bwould kill me\b",
    r"\boverdos\w*\b[^.?!]{0,20}\b(?:on purpose|intentionally|to die)\b|\bstop my heart\b",
    r"\b(?:lethal|fatal|deadly) (?:amount|quantity|number)\b|\bfatal dose\b",
    r"\bhow (?:much|many)\b[^.?!]{0,30}\b(?:is|are|would be|becomes?) (?:fatal|lethal|deadly)\b",
    r"\b(?:pills|meds|medications?|tablets)\b[^.?!]{0,30}\b(?:most dangerous|most deadly|deadliest)\b"
    r"[^.?!]{0,25}\bin (?:large|big|high) (?:amounts|doses|quantities)\b",
    r"\bhow long (?:does it take|until|till|before)\b[^.?!]{0,30}\b(?:lose consciousness|pass out|"
    r"stop breathing|die|bleed)\b",
    r"\b(?:looked up|looking up|checked|checking|googled)\b[^.?!]{0,15}\bhow (?:deep|high|tall|far)\b",
    r"\b(?:swallow|take|took|taking)\w*\b[^.?!]{0,15}\b(?:a whole|an entire|the whole|every)\b"
    r"[^.?!]{0,15}\b(?:pack|packet|box|strip|bottle|sleeping pill)\w*",
    r"\bno (?:reason|point) (?:to|in) (?:keep )?(?:living|live|go on|going on)\b",
    r"\bnothing (?:left )?to live for\b|\bcan'?t (?:go on|keep living)\b",
    r"\bwant (?:it all|everything) to (?:end|be over|stop)\b|\bbe over for good\b",
    r"\bgiving away my (?:things|stuff)\b|\bways to die\b|\bway to (?:die|end things|end it)\b",
    r"\b(?:pills|meds) (?:lined up|counted out|laid out|in front of me)\b",
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
    # "SI", suicidal ideation, as clinicians and clients write it (design 7; h6 missed "client
    # disclosed SI with intent"); not "SI units".
    r"\b(?:passive|active|having|have|had|has|disclosed|disclosing|disclose[sd]?|reported|reports?|"
    r"reporting|endorsed|endorses|endorsing|admitted|with|some|bad|my|her|his|their|current|"
    r"increased|worsening) si\b(?! units?\b)",
    r"\bsi\b (?:with (?:a )?(?:plan|intent)|again|thoughts|ideation|is back|came back|has been)",
    # Design 8 (h7 missed these): "sh", self-harm, as people who self-harm write it; fresh cuts
    # shown or seen; ending it as a threat said of someone ("he's going to end it") or tied to a
    # condition ("if the trial rejects him he's going to end it"), not a conversational closer.
    r"\b(?:relaps\w*|urges? to|back to|started|doing|did)\b[^.?!]{0,10}\b(?:sh|self[- ]?harm\w*|"
    r"cutting)\b(?! (?:research|rates?|statistics|data|prevention|stud\w+|policy))",
    r"\b(?:fresh|new|deep|deeper|bleeding)\b[^.?!]{0,12}\b(?:cuts|cut marks|burns)\b[^.?!]{0,25}"
    r"\b(?:arms?|wrists?|legs?|thighs?|skin|stomach)\b",
    r"\b(?:he|she|they)(?:'s|'re| is| are)? (?:going to|gonna|will|wants? to|plans? to|planning to|"
    r"threaten\w* to) end it\b(?! (?:with|between))",
    r"\bif\b[^.?!]{0,60}\b(?:going to|gonna|i'?ll|he'?ll|she'?ll|they'?ll) end it\b"
    r"(?! (?:with|between))",
    # Design 9 (h8 missed these): "sh" as a verb or with its urges; ideation in the past tense; a
    # date picked for nothing named; a note or letters left for after; a deadly combination.
    r"\bsh'?ing\b|\bsh (?:urges?|again|relapse|scars?|wounds?)\b",
    r"\b(?:thought|thinks|been thinking|keep thinking) (?:about|of) (?:suicide|killing (?:myself|"
    r"himself|herself)|ending (?:it|my life|his life|her life))\b(?! (?:prevention|research|rates?))",
    r"\b(?:picked|chose|chosen|set|have|has) (?:out )?(?:the|a) date\b(?![^.?!]{0,40}\b(?:wedding|"
    r"party|meeting|trip|move|moving|surgery|appointment|launch|event|hearing|court|exam|defen[cs]e|"
    r"reunion|vacation|holiday|shower|ceremony|graduation|interview|retirement|for (?:the|our|my) \w+))",
    r"\b(?:wrote|written|finished|left) (?:my|a|the) (?:last )?note\b(?! (?:to|for) (?:the|my|a) "
    r"(?:teacher|school|landlord|boss|office|class))|\bafter (?:i'?m|im|i am) gone\b",
    r"\b(?:wrote|writing|written|been writing|left) (?:letters?|notes?) (?:to|for) (?:my|each of my)\b"
    r"[^?!]{0,40}\b(?:just in case|for after|from me after|in case (?:anything|something) happens|"
    r"before i go|when i'?m not)\b",
    r"\b(?:fatal|lethal|deadly) (?:together|combination|combo|mix)\b",
)

# A crisis phrase inside these is a statistic, a project or a process, not a person in danger.
CRISIS_LOOKALIKE = _rx(
    r"\b(?:kill|end|stop) (?:the |a |this )?(?:process|job|task|program|stigma|session|essay)\b",
    r"\bfor (?:my|an|our|a) (?:\w+ )?(?:essay|paper|class|project|presentation|thesis|report|quiz|"
    r"exam|homework|assignment|course|lecture|capstone|grant)\b",
    r"\b(?:quiz|exam|homework|textbook|worksheet)\b[^.?!]{0,30}\b(?:asks?|question|says)\b",
)
MAKE = _rx(
    rf"\b(?:make|making|produce|cook|cooking|cook up|cooks|press|synthesi[sz]e)\b "
    rf"(?:up )?(?:my own |some |pure )?{_DRUG}"
    r"(?!\s*(?:-|\s)?(?:assisted|therapy|treatment|trials?|research|stud\w+|sessions?|available|"
    r"accessible|affordable|legal|a |an |the |more |less |cheaper|schedule|covered))",
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
    r"\bwhere do (?:people|you|i) (?:get|find|buy) (?:beans|rolls|caps|molly|mandy)\b",
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
    r"\bcandy ?flip|\bhippie ?flip|\bmake (?:my |the )?roll\b|\bredose\b",
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
    rf"\b(?:best|good) {_DRUG} for\b|\b(?:take|try|do|on) {_DRUG} (?:at|for) (?:a |the )?"
    r"(?:rave|party|festival|club|edc)\b",
)

def crisis_rule(text: str) -> bool:
    t = normalise(text)
    return bool(CRISIS.search(t)) and not CRISIS_LOOKALIKE.search(t)


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
    if PERSONAL_DOSE.search(t) and re.search(_USE + r"|\bdose\b|\broll\b|\bredose\b|\bedc\b|"
                                              r"\brave\b|\bfestival\b", t):
        return not research
    return False


