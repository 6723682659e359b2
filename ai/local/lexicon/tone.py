"""Cues for urgency and importance, and the greetings, sign-offs and group addresses."""

from __future__ import annotations

from ai.local.lexicon.base import Lexicon

URGENT: Lexicon = {
    "en": (
        r"urgent(?:ly)?",
        r"asap",
        r"as soon as possible",
        r"immediately",
        r"right away",
        r"outage",
        r"is down",
        r"are down",
        r"blocked",
        r"blocking",
        r"critical",
        r"escalated",
        r"triggered",
        r"p0",
        r"sev ?1",
        r"emergency",
        r"within (?:the )?hour",
        r"by (?:\d{1,2}(?::\d\d)?\s?(?:am|pm)|noon|eod|end of day) today",
        r"today",
        r"tonight",
        r"this morning",
        r"in (?:a few|two|2|three|3) hours",
        r"within 24 hours",
    ),
    "es": (r"urgente", r"cuanto antes", r"hoy", r"bloquead[oa]s?", r"ca[ií]d[oa]"),
    "de": (r"dringend", r"sofort", r"heute", r"blockiert", r"ausgefallen"),
    "fr": (r"urgent", r"imm[ée]diatement", r"aujourd'hui", r"bloqu[ée]s?", r"en panne"),
    "pt": (r"urgente", r"imediatamente", r"hoje", r"bloquead[oa]s?", r"fora do ar", r"falhando"),
}

HIGH: Lexicon = {
    "en": (
        r"important",
        r"action required",
        r"action needed",
        r"deadline",
        r"failed",
        r"expires? in \d+ days?",
        r"need your (?:ok|okay|approval|sign-?off|decision)",
        r"sign-?off needed",
        r"need your approval",
        r"priority",
        r"overdue",
        r"time-sensitive",
    ),
    "es": (r"importante", r"plazo", r"vencid[oa]"),
    "de": (r"wichtig", r"frist", r"überfällig"),
    "fr": (r"important", r"d[ée]lai", r"en retard"),
    "pt": (r"importante", r"prazo", r"atrasad[oa]"),
}

# Thank-yous, celebrations and announcements: safe to skim.
LOW: Lexicon = {
    "en": (
        r"thank you",
        r"thanks (?:all|everyone|again)",
        r"congrats",
        r"congratulations",
        r"welcome",
        r"shipped",
        r"signed",
        r"🎉",
        r"went great",
        r"great job",
        r"kudos",
        r"please welcome",
        r"heads up",
        r"announce",
        r"is now available",
        r"arriving",
        r"rolling out",
        r"recording is here",
    ),
    "es": (r"gracias", r"enhorabuena"),
    "de": (r"danke", r"herzlichen gl[üu]ckwunsch"),
    "fr": (r"merci", r"f[ée]licitations"),
    "pt": (r"obrigad[oa]", r"parab[ée]ns"),
}

GROUP_ADDRESS: Lexicon = {
    "en": (r"all", r"everyone", r"everybody", r"team", r"folks", r"y'?all", r"both"),
    "es": (r"a todos", r"todos", r"equipo"),
    "de": (r"alle", r"zusammen", r"team"),
    "fr": (r"à tous", r"tous", r"tout le monde", r"l'équipe"),
    "pt": (r"a todos", r"todos", r"pessoal", r"equipa", r"equipe"),
}

GREETING = (
    r"^(?:hi|hello|hey|dear|morning|good (?:morning|afternoon)|hallo|liebe[rs]?|"
    r"guten (?:morgen|tag)|sehr geehrte[rs]?|hola|buenos d[ií]as|estimad[oa]s?|bonjour|"
    r"salut|cher|ch[eè]re|ol[áa]|oi|bom dia|prezad[oa]s?|caro|cara)\b"
)

SIGNOFF = (
    r"^(?:thanks|thank you|many thanks|thx|best|best regards|regards|kind regards|cheers|"
    r"talk soon|sincerely|warmly|mit freundlichen gr[üu](?:ß|ss)en|viele gr[üu](?:ß|ss)e|"
    r"beste gr[üu](?:ß|ss)e|liebe gr[üu](?:ß|ss)e|gr[üu](?:ß|ss)e|danke|vielen dank|"
    r"un saludo|saludos|atentamente|gracias|un abrazo|cordialement|bien [àa] (?:toi|vous)|"
    r"merci d'avance|merci|belle journ[ée]e|bonne journ[ée]e|obrigad[oa]|atenciosamente|"
    r"abra[çc]os?|cumprimentos|beijos)\b[^\n]{0,40}$"
)
