"""Sentences of a call picked for the draft: requirement and evaluation-criteria sentences for the
checklist, the call's aims and the activities it supports for the pre-filled sections.

Offline and rule-based: the call text is split into sentences and each sentence is scored by the
cue words (Latvian and English, matched by word start so that inflected forms count:
"jāiesniedz", "kritērijiem", "eligible") it contains. Sentences with no such word are left out;
the best come first. The aims and activities pickers also leave out every sentence that is about
something else (money, who may apply, how and when to apply, what applicants must do): the
pre-fill is better empty, with the template's guidance, than quoting a wrong sentence.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from grantmatch.text import fold

# word starts (diacritics folded) and their weights; words of up to 4 letters must match whole
CRITERIA_WORDS: dict[str, float] = {
    # Latvian: obligation, eligibility, evaluation
    "jaiesniedz": 3.0,
    "japievieno": 3.0,
    "janodrosina": 3.0,
    "japierada": 3.0,
    "jabut": 2.5,
    "jaatbilst": 3.0,
    "jaiever": 2.5,
    "jasniedz": 2.0,
    "jaiesaista": 2.0,
    "obligat": 3.0,
    "nepieciesam": 2.0,
    "prasib": 3.0,
    "kriterij": 3.5,
    "verte": 3.0,
    "vertesan": 3.5,
    "punkt": 1.5,
    "prioritat": 2.0,
    "pieteikties": 2.5,
    "pieteikum": 1.5,
    "pretendent": 2.5,
    "iesniedzej": 2.5,
    "atbalsta": 1.5,
    "atbalstam": 2.0,
    "attiecinam": 3.0,
    "neattiecinam": 3.0,
    "lidzfinansejum": 2.5,
    "termin": 2.0,
    "lidz": 0.5,
    "maksimal": 2.0,
    "minimal": 2.0,
    "nedrikst": 3.0,
    "drikst": 2.0,
    "var": 1.0,
    "tikai": 1.5,
    "ne vairak": 2.0,
    "vismaz": 2.0,
    "registret": 2.0,
    "biedrib": 1.0,
    "nodibinajum": 1.0,
    "nosacijum": 3.0,
    "ierobezojum": 2.0,
    # English
    "must": 3.0,
    "shall": 3.0,
    "should": 2.0,
    "required": 3.0,
    "requirement": 3.0,
    "mandatory": 3.0,
    "eligib": 3.0,
    "ineligib": 3.0,
    "criteri": 3.5,
    "evaluat": 3.0,
    "assess": 2.5,
    "score": 2.0,
    "award": 1.5,
    "priorit": 2.0,
    "applicant": 2.5,
    "apply": 2.0,
    "co-financ": 2.5,
    "cofinanc": 2.5,
    "co-fund": 2.5,
    "deadline": 2.0,
    "maximum": 2.0,
    "minimum": 2.0,
    "at least": 2.0,
    "not exceed": 2.5,
    "only": 1.5,
    "consortium": 2.0,
    "condition": 2.5,
    "relevance": 2.5,
    "impact": 1.5,
    "quality": 1.5,
}

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“„(]?[A-ZĀČĒĢĪĶĻŅŠŪŽ0-9•\-–])|\n+\s*(?:[-•*–]\s*)?")
_WORD = re.compile(r"[\w-]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Requirement:
    text: str
    score: float
    words: tuple[str, ...]  # the criteria words found (word starts)
    position: int  # sentence index in the call text


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a plain-text call description."""
    parts = _SENTENCE_END.split(text or "")
    out = []
    for p in parts:
        p = " ".join(p.split()).strip(" -•*–")
        if len(p) >= 12:
            out.append(p)
    return out


def score_sentence(sentence: str, folded: str | None = None) -> tuple[float, tuple[str, ...]]:
    """Sum of the weights of the criteria words the sentence contains (each counted once); ``folded``:
    the sentence already folded, when the caller has it."""
    folded = fold(sentence) if folded is None else folded
    tokens = _WORD.findall(folded)
    found = []
    score = 0.0
    for word, weight in CRITERIA_WORDS.items():
        if " " in word:
            hit = word in folded
        else:
            hit = word in tokens if len(word) <= 4 else any(tok.startswith(word) for tok in tokens)
        if hit:
            found.append(word)
            score += weight
    if re.search(r"\d", sentence):  # amounts, dates and percentages are usually conditions
        score += 1.0
    # long sentences collect words by chance: mild length normalisation
    score = score / (1.0 + max(0, len(tokens) - 30) / 30)
    return round(score, 4), tuple(found)


# A sentence that only tells the call's total funding or its usual grant sizes is not a condition to
# check ("Kopējais konkursa finansējums ir 50 000 eiro", "Atbalsta summas parasti ir ... līdz 15 000
# eiro"): the checklist already has the amounts from the call's fields. A percentage, a limit word or
# a step of the procedure makes it one ("... līdz 80 % no izmaksām", "ne vairāk kā", "must not exceed",
# "pieteikumu iesniedz tiešsaistē").
_INFO_ONLY = re.compile(
    r"kopej\w* (?:konkursa |programmas )?(?:finansejum|budzet|summ)|\bparasti\b|\btotal (?:budget|funding)|"
    r"\boverall budget|\busually\b|\btypically\b"
)
_CONDITION = re.compile(
    r"%|procent|percent|ne vairak|nedrikst|nepars|maksimal|minimal|vismaz|\bja\w{3,}|\bmust\b|\bshall\b|"
    r"not exceed|at most|at least|\bmax|\bmin|iesnie|submit|\bapply"
)


def extract_requirements(text: str, *, top: int = 8, min_score: float = 2.0) -> list[Requirement]:
    """The call's requirement and evaluation-criteria sentences, best first (at most ``top``); sentences
    that only tell the total funding or the usual grant sizes are left out (see ``_INFO_ONLY``)."""
    scored = []
    for i, sentence in enumerate(split_sentences(text)):
        folded = fold(sentence)
        if _INFO_ONLY.search(folded) and not _CONDITION.search(folded):
            continue
        score, words = score_sentence(sentence, folded)
        if score >= min_score:
            scored.append(Requirement(sentence, score, words, i))
    scored.sort(key=lambda r: (-r.score, r.position))
    return scored[:top]


# --------------------------------------------------------------------------- aims and activities

# The call's aims: "Programmas mērķis ir ...", "The call aims to ...", "Fonds atbalsta projektus, kas ...".
# Whole folded words (a noun's case forms listed), so that "mērķa grupa", "mērķauditorija" and
# "mērķprogramma" (target group, audience, targeted programme) are not aims.
_AIM_NOUNS = frozenset((
    "merkis", "merki", "merka", "merku", "merkim", "merkiem", "merke",
    "aim", "aims", "aimed", "objective", "objectives", "goal", "goals", "purpose",
))  # fmt: skip
_NOT_AIM_AFTER = ("grup", "auditor", "teritor")  # "mērķa grupa", "mērķa auditorija", "mērķa teritorija"
# what is supported / what the call is for (word starts)
_AIM_VERBS = (
    "atbalst", "veicin", "stiprin", "sekme", "attistit", "uzlabot", "mazinat", "palielinat", "saglabat",
    "popularizet", "dazadot", "iesaistit", "support", "fund", "promot", "strengthen", "foster", "encourag",
    "improv", "enhanc", "help", "empower", "build", "raise", "reduc", "increas", "preserv", "enabl",
)  # fmt: skip
# "atbalsta summa / apmērs / centrs ...", "ar ministrijas atbalstu": the noun "support", not the verb
# "supports"; "atbalstāmās aktivitātes" (supported activities) are activities, not aims
_SUPPORT_NOUN_AFTER = ("summ", "apmer", "intensit", "likm", "sanem", "pretend", "period", "lidzek", "veid", "centr")
_SUPPORT_NOUNS = ("atbalsts", "atbalstu", "atbalstiem", "atbalstam")
_ACTIVITY_CUES = (
    "aktivitat", "activit", "pasakum", "event", "darbib", "action", "atbalstam", "eligible", "workshop",
    "darbnic", "nometn", "camp", "festival", "koncert", "izstad", "apmain", "exchange", "training", "apmacib",
)  # fmt: skip
# A sentence about money, eligibility, the procedure or an obligation is not an aim or an activity.
_MONEY = re.compile(
    r"\d[\d\s.,]*\s*(?:€|eur|eiro|euro|milj|million|tukst|thousand)|€\s*\d|\beur\s*\d|%|procent|percent"
)
_OFF_TOPIC = (
    "pieteik", "iesniedz", "iesniegsan", "termin", "lidzfinans", "registret", "submit", "submission",
    "deadline", "applicant", "apply", "application", "co-financ", "cofinanc", "registered", "must", "shall",
    "drikst", "nedrikst", "var sanemt", "pieskir", "award", "grant amount", "budget",
    "budzet", "finansejum",
)  # fmt: skip
_DEBITIVE = re.compile(r"(?<!\w)jā\w{3,}", re.IGNORECASE)  # "jāiesniedz", "jānodrošina": an obligation


def _off_topic(sentence: str, folded: str, tokens: list[str]) -> bool:
    if _MONEY.search(folded) or _DEBITIVE.search(sentence):
        return True
    return any((" " in w and w in folded) or any(t.startswith(w) for t in tokens) for w in _OFF_TOPIC)


def aim_score(sentence: str) -> float:
    """How clearly a sentence states what the call is for: 3 for an aim noun ("mērķis", "aim"),
    2 for each supporting / aim verb ("atbalsta", "veicināt", "supports", "promote"); 0 for a
    sentence about money, eligibility, the procedure or an obligation."""
    folded = fold(sentence)
    tokens = _WORD.findall(folded)
    if _off_topic(sentence, folded, tokens):
        return 0.0
    score = 0.0
    for i, tok in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in _AIM_NOUNS and not after.startswith(_NOT_AIM_AFTER):
            score += 3.0
        elif tok.startswith(_AIM_VERBS):
            noun = tok.startswith(_SUPPORT_NOUNS) or (tok == "atbalsta" and after.startswith(_SUPPORT_NOUN_AFTER))
            score += 0.0 if noun else 2.0
    return score


def activity_score(sentence: str) -> float:
    """Activity words in a sentence ("aktivitātes", "pasākumi", "workshops"), 0 when off topic; a list
    of what is supported ("Atbalsta koncertus, izstādes, festivālus ...") counts 3 more."""
    folded = fold(sentence)
    tokens = _WORD.findall(folded)
    if _off_topic(sentence, folded, tokens) or any(t.startswith(("izsludin", "announc")) for t in tokens):
        return 0.0  # "X izsludina konkursu ... aktivitātē": the programme's name, not an activity
    score = float(sum(any(t.startswith(w) for t in tokens) for w in _ACTIVITY_CUES))
    return score + 3.0 if _supported_list(sentence, tokens) else score


def _supported_list(sentence: str, tokens: list[str]) -> bool:
    """A sentence that lists what the call supports: "Atbalsta A, B un C", "Atbalstīs ...: A, B, C",
    "Eligible activities: A, B, C" — a support word among its first three and at least two commas
    (or a colon). Such a sentence says what may be done, not what for."""
    head = tokens[:3]
    lists = sentence.count(",") >= 2 or ":" in sentence
    return lists and any(t.startswith(("atbalst", "support", "fund", "eligibl")) for t in head)


def pick_sentences(sentences: list[str], kind: str, *, n: int = 2, skip: Collection[str] = ()) -> list[str]:
    """The ``n`` sentences that best state the call's ``kind`` ("aims" or "activities"), in text order;
    none when no sentence does. A sentence that names activities at least as clearly as an aim is not
    an aim (it pre-fills the activities)."""
    scorer = {"aims": aim_score, "activities": activity_score}[kind]
    scored = []
    for i, s in enumerate(sentences):
        score = scorer(s) if s not in skip else 0.0
        if score > 0 and not (kind == "aims" and score <= activity_score(s)):
            scored.append((-score, i, s))
    best = sorted(scored)[:n]
    return [s for _, _, s in sorted(best, key=lambda t: t[1])]
