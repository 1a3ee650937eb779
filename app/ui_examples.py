"""Example questions per topic for the chat, and the filter choices shown beside them."""

from __future__ import annotations

from kb.vocabulary import POPULATIONS, TOPICS

EXAMPLES: dict[str, list[str]] = {
    "all": [
        "What did the phase 3 trials of MDMA-assisted therapy find?",
        "Why did the FDA not approve MDMA-assisted therapy in 2024?",
        "What barriers keep low-income clients from this treatment?",
    ],
    "efficacy": [
        "How many participants no longer met PTSD criteria in the phase 3 trials?",
        "Do the benefits of MDMA-assisted therapy last after treatment ends?",
        "What are the limits of the evidence on efficacy?",
    ],
    "safety": [
        "What side effects were reported in the trials?",
        "Who was excluded from the trials for safety reasons?",
        "Did MDMA-assisted therapy raise blood pressure or heart rate?",
    ],
    "stigma": [
        "How does the 'ecstasy' label affect attitudes to MDMA-assisted therapy?",
        "How does media coverage shape public perception of this treatment?",
        "Why is MDMA a Schedule I drug?",
    ],
    "access": [
        "Will insurance cover MDMA-assisted therapy?",
        "What barriers do rural patients face in getting this treatment?",
        "How many therapists does each session need?",
    ],
    "equity": [
        "Were people of color represented in the MDMA trials?",
        "How do costs and time off work affect low-income clients?",
    ],
    "policy": [
        "What happened at the FDA advisory committee in 2024?",
        "Is MDMA-assisted therapy available legally in Australia?",
        "What are US states and the VA doing about MDMA-assisted therapy?",
    ],
    "protocol": [
        "What does a course of MDMA-assisted therapy involve?",
        "What doses were used in the phase 3 trials?",
    ],
    "mechanism": [
        "How might MDMA help psychotherapy for PTSD?",
    ],
    "social-work": [
        "What role can social workers play in MDMA-assisted therapy?",
        "How can social workers advocate for equitable access?",
    ],
}
TOPIC_CHOICES = [("All topics", "all")] + [(t.replace("-", " ").capitalize(), t) for t in TOPICS]
POPULATION_CHOICES = [("All populations", "all")] + [
    (p.replace("-", " ").capitalize().replace("Lgbtq", "LGBTQ"), p) for p in POPULATIONS]


def examples_for(topic: str) -> list[str]:
    return EXAMPLES.get(topic) or EXAMPLES["all"]
