"""Plain-code crisis rules: the unambiguous crisis phrases and their look-alikes (pure)."""

from __future__ import annotations

from kb.safety_text import _SELF, _THEM, _WANT, _rx, normalise

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
    r"\b(?:bought|got|have|has|carrying|carries) (?:a|the) (?:rope|noose)\b|\bnoose\b",
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
    r"\b(?:pills|meds|medication|bottle|tablets)\b[^.?!]{0,40}\b(?:all at once|them all)\b",
    r"\bsaving (?:up )?(?:my |her |his )?(?:pills|meds)\b",
    r"\b(?:gave|giving|given) away (?:my|her|his|their|all)\b|\b(?:won'?t|wont) need (?:them|it|"
    r"my|these|anything|any of)\b",
    r"\b(?:painless|quick|quickest|easiest|surest|least painful|most painless) (?:way|method)s? to "
    r"(?:go|die|end)\b",
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
    # Design 10 (h9 missed these): methods asked as facts; farewells; a weapon kept to be used.
    r"\bcarbon monoxide\b[^.?!]{0,40}\b(?:garage|car|closed|sealed|room|tent)\b|"
    r"\b(?:garage|car)\b[^.?!]{0,30}\bcarbon monoxide\b",
    r"\bhow (?:many|much) (?:of )?(?:\w+ )?(?:tylenol|acetaminophen|paracetamol|advil|ibuprofen|"
    r"aspirin|sleeping pills|benadryl|xanax|insulin|oxy\w*|pills|tablets|meds)\b[^.?!]{0,20}"
    r"\b(?:does it take|would it take|it takes|to take to)\b",
    r"\bhow long (?:it takes|does it take|would it take|until|before) (?:for )?(?:someone|anyone|"
    r"people|they|somebody) (?:to )?finds? (?:you|a body|me|him|her)\b",
    r"\bcheck(?:ing|in)? out (?:fr|for real|tonight|tn)\b",
    r"\bnot (?:gonna|going to) (?:need|be needing)\b[^.?!]{0,40}\b(?:this year|anymore|any more|"
    r"much longer|after)\b",
    r"\b(?:don'?t|dont|can'?t|cant|do not|cannot) see myself (?:being )?(?:here|alive|around|"
    r"making it)\b",
    r"\b(?:hid|hiding|hidden|has|have|got|keeps?)\b[^.?!]{0,15}\b(?:razor|blade|rope|gun|pills|"
    r"knife)\b[^.?!]{0,40}\b(?:plans?|going|gonna|wants?|will) to use (?:it|them)\b",
    r"\btell (?:everyone|every1|them all|my \w+) (?:i'?m|im|i am) sorry\b",
    # Design 11 (h10 missed these): a plan for how; car exhaust; a loaded gun kept; "finish it";
    # the long nap; not making it that long; pills made ready.
    r"\b(?:know|planning|planned|plan|figured out|decided|worked out) (?:exactly )?how (?:i'?d|i would|"
    r"i will|i'?ll|he'?d|she'?d|he will|she will|they'?d) do it\b",
    r"\b(?:hose|tube)\b[^.?!]{0,40}\b(?:engine|exhaust|car) (?:running|on)\b|"
    r"\bengine running\b[^.?!]{0,30}\b(?:hose|garage|closed)\b",
    r"\b(?:got|has|have|had|keeps?|sitting with|holding)\b[^.?!]{0,20}\b(?:shotgun|gun|rifle|pistol|"
    r"revolver)\b[^.?!]{0,10}\bloaded\b",
    r"\b(?:he'?s|she'?s|they'?re|i'?m|im|hes|shes) (?:going to|gonna) finish it\b",
    r"\bthe (?:long|big) (?:nap|sleep)\b|\bdirt nap\b",
    r"\b(?:don'?t|dont|do not) (?:think|know if) (?:i'?ll|ill|i will|i can) make it (?:that long|much "
    r"longer|till|until|through)\b",
    r"\b(?:getting|got|have|laid|lining) (?:the |my )?pills (?:ready|out|lined up)\b",
    # Design 12 (h11 missed these): every pill; letting go from a height; which floor to jump
    # from; a letter explaining why; helium; stepping in front of a train; a few common phrases in
    # Spanish and Tagalog.
    r"\b(?:take|swallow|down)\b[^.?!]{0,10}\bevery (?:pill|tablet|one)\b",
    r"\b(?:climb|jump|go up)\b[^.?!]{0,30}\band let go\b",
    r"\bwhat floor\b[^.?!]{0,30}\bjump\b|\bjump from\b[^.?!]{0,20}\b(?:floor|height|bridge|roof)\b",
    r"\b(?:letter|note)s? (?:to everyone |to my family )?explaining why\b",
    r"\bhelium\b[^.?!]{0,40}\b(?:you know what for|bag|hood|for myself|to end)\b",
    r"\bstep (?:out )?in front of (?:a|the) (?:train|bus|truck|car)\b",
    r"\b(?:quiero morir(?:me)?|me quiero (?:morir|matar)|no quiero vivir|gusto ko (?:nang |na )?mamatay|"
    r"magpapakamatay|magpakamatay)\b",
)

# A crisis phrase inside these is a statistic, a project or a process, not a person in danger.
CRISIS_LOOKALIKE = _rx(
    r"\b(?:kill|end|stop) (?:the |a |this )?(?:process|job|task|program|stigma|session|essay)\b",
    r"\bfor (?:my|an|our|a) (?:\w+ )?(?:essay|paper|class|project|presentation|thesis|report|quiz|"
    r"exam|homework|assignment|course|lecture|capstone|grant)\b",
    r"\b(?:quiz|exam|homework|textbook|worksheet)\b[^.?!]{0,30}\b(?:asks?|question|says)\b",
)


def crisis_rule(text: str) -> bool:
    t = normalise(text)
    return bool(CRISIS.search(t)) and not CRISIS_LOOKALIKE.search(t)
