"""Cue words per language (en, es, de, fr, pt) that the local heuristics look for.

Each cue is a regular-expression fragment matched case-insensitively on word
boundaries. Lists are kept per language so adding one is a local change; the
heuristics use the union because short business mail rarely needs language detection
to be read correctly and mixed-language threads are common.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

Lexicon = Mapping[str, tuple[str, ...]]

# A direct ask of the reader: the sentence becomes a task and usually wants an answer.
REQUEST: Lexicon = {
    "en": (
        r"could you",
        r"can you",
        r"would you",
        r"will you",
        r"please",
        r"pls",
        r"i need you to",
        r"need you to",
        r"i'?d like you to",
        r"make sure",
        r"don'?t forget to",
        r"remember to",
        r"you(?:'ll)? need to",
        r"you must",
        r"need your",
        r"i need (?:the|a|an|your|\d)",
        r"i'?ll need",
        r"we need you",
        r"action (?:required|needed)",
        r"be sure to",
        r"kindly",
    ),
    "es": (
        r"podr[ií]as",
        r"podr[ií]a",
        r"puedes",
        r"pod[eé]is",
        r"puede usted",
        r"por favor",
        r"necesito",
        r"necesitamos",
        r"me confirmas",
        r"te pido",
        r"os pido",
        r"env[ií]ame",
        r"m[aá]ndame",
        r"recuerda",
    ),
    "de": (
        r"k[öo]nnten sie",
        r"k[öo]nnen sie",
        r"kannst du",
        r"k[öo]nntest du",
        r"w[üu]rden sie",
        r"w[üu]rdest du",
        r"bitte",
        r"ich brauche",
        r"wir brauchen",
        r"schicken sie mir",
        r"denken sie daran",
    ),
    "fr": (
        r"pourrais-tu",
        r"pourriez-vous",
        r"peux-tu",
        r"pouvez-vous",
        r"merci de",
        r"veuillez",
        r"j'aurai besoin",
        r"j'ai besoin",
        r"nous avons besoin",
        r"il faut",
        r"n'oublie[zs]? pas",
        r"s'il (?:te|vous) pla[iî]t",
    ),
    "pt": (
        r"poderia",
        r"poderias",
        r"podes",
        r"pode(?:m)?",
        r"por favor",
        r"favor",
        r"preciso",
        r"precisamos",
        r"t[eê]m de",
        r"tem de",
        r"t[eê]m que",
        r"n[ãa]o se esque[çc]a",
        r"envie",
        r"mande",
    ),
}

# Asks that are answered by writing back (decision, confirmation, information).
REPLY: Lexicon = {
    "en": (
        r"let me know",
        r"tell me",
        r"confirm",
        r"get back to me",
        r"rsvp",
        r"your (?:ok|okay|approval|sign-?off|call|go-ahead|thoughts|input|answer)",
        r"needs? your (?:\w+ )?(?:ok|okay|approval|sign-?off|decision|input)",
        r"sign off",
        r"need\b[^.?!]{0,80}\bfrom you",
        r"can you (?:take|do|make|join)\b",
        r"which (?:one|option|slot|date|time|day)",
        r"reply with",
        r"send (?:me|us|back)",
        r"get me",
        r"weigh in",
        r"are you (?:ok|okay|available|free|able)",
        r"does (?:that|this) work",
        r"works? for you",
        r"thoughts\?",
    ),
    "es": (
        r"conf[ií]rma",
        r"confirmar",
        r"me dices",
        r"dime",
        r"av[ií]same",
        r"me confirmas",
        r"qu[eé] opinas",
        r"resp[oó]nde",
    ),
    "de": (
        r"best[äa]tig",
        r"geben sie (?:mir )?bescheid",
        r"sag mir",
        r"teilen sie mir",
        r"r[üu]ckmeldung",
        r"ihre meinung",
        r"schicken sie mir",
    ),
    "fr": (
        r"confirme",
        r"dire quelle",
        r"me dire",
        r"dis-moi",
        r"dites-moi",
        r"tiens-moi au courant",
        r"ton avis",
        r"votre avis",
        r"me r[ée]pondre",
    ),
    "pt": (
        r"confirm(?:e|a|ar)",
        r"me diga",
        r"diz-me",
        r"avise",
        r"responda",
        r"me avisa",
        r"qual (?:data|op[çc][ãa]o)",
    ),
}

# The sender says no answer is expected; questions after it still count (e.g. an FYI
# that ends with "could you keep the sandbox up?").
NO_REPLY: Lexicon = {
    "en": (
        r"no (?:action|reply|response) (?:needed|required|necessary)",
        r"no need to (?:reply|respond)",
        r"nothing (?:needed|required) from you",
        r"just (?:a|an) (?:fyi|heads[- ]up)",
        r"for your information",
        r"no action on your",
        r"don'?t need to (?:reply|do)",
        r"fyi",
        r"heads[- ]up",
    ),
    "es": (r"no (?:hace falta|es necesario) (?:responder|contestar)", r"para tu informaci[oó]n"),
    "de": (r"keine antwort (?:n[öo]tig|erforderlich)", r"zur info", r"nur zur information"),
    "fr": (r"pas besoin de r[ée]pondre", r"pour information", r"pour info"),
    "pt": (
        r"n[ãa]o [ée] (?:preciso|necess[áa]rio) responder",
        r"para (?:sua|tua) informa[çc][ãa]o",
    ),
}

MEETING: Lexicon = {
    "en": (
        r"invitation",
        r"invite",
        r"meeting",
        r"agenda",
        r"rescheduled?",
        r"moved",
        r"canceled",
        r"cancelled",
        r"calendar",
        r"which slot",
        r"time slot",
        r"kickoff",
        r"sync",
        r"1:1",
        r"offsite",
        r"call on",
        r"block your calendars?",
        r"dial-?in",
        r"video link",
        r"join us",
        r"when:",
        r"where:",
    ),
    "es": (r"reuni[oó]n", r"convocatoria", r"cambio de hora", r"invitaci[oó]n", r"agenda"),
    "de": (r"einladung", r"besprechung", r"termin", r"verschoben", r"abgesagt", r"tagesordnung"),
    "fr": (r"invitation", r"r[ée]union", r"atelier", r"ordre du jour", r"report[ée]", r"annul[ée]"),
    "pt": (r"convite", r"reuni[ãa]o", r"pauta", r"remarcad[ao]", r"cancelad[ao]"),
}

# Subject prefixes calendar systems put on invitations and changes.
MEETING_SUBJECT = (
    r"^(?:invitation|updated invitation|invite|einladung|invitaci[oó]n|convite|"
    r"canceled|cancelled|moved|rescheduled|agenda|abgesagt|annul[ée]e?|cancelad[ao])\b"
)

# Calendar receipts and auto-replies: automated even when sent from a person's address.
AUTO_REPLY_SUBJECT = (
    r"^(?:accepted|declined|tentative(?:ly accepted)?|automatic reply|auto(?:matic)?[- ]reply|"
    r"out of (?:the )?office|abwesenheitsnotiz|automatische antwort|zugesagt|abgelehnt|"
    r"respuesta autom[aá]tica|r[ée]ponse automatique|resposta autom[aá]tica|aceptado|accept[ée])\b"
)

MARKETING: Lexicon = {
    "en": (
        r"\d+ ?% off",
        r"discount",
        r"promo(?:tion)?",
        r"black friday",
        r"cyber monday",
        r"early[- ]bird",
        r"webinar",
        r"newsletter",
        r"special offer",
        r"limited time",
        r"sale",
        r"deal",
        r"coupon",
        r"free trial",
        r"upgrade now",
        r"register now",
        r"save your (?:seat|spot)",
        r"what'?s new",
        r"introducing",
        r"subscribe",
        r"view (?:this email )?in (?:your )?browser",
        r"15-minute (?:chat|call)",
        r"quick call",
        r"would you be open to",
        r"rather not hear from me",
        r"account executive",
        r"book a demo",
        r"on us",
        r"recap",
        r"survey is open",
        r"this week'?s issue",
        r"read more",
        r"launches",
        r"your \d{4} on",
        r"pricing",
        r"annual plans?",
        r"ends? (?:at )?midnight",
    ),
    "es": (
        r"ofertas?",
        r"descuento",
        r"hasta \d+ ?%",
        r"rebajas",
        r"promoci[oó]n",
        r"suscr[ií]bete",
    ),
    "de": (
        r"angebot(?:e)? der woche",
        r"rabatt",
        r"gutschein",
        r"jetzt kaufen",
        r"newsletter abbestellen",
    ),
    "fr": (r"promotion", r"r[ée]duction", r"soldes", r"offre sp[ée]ciale", r"se d[ée]sinscrire"),
    "pt": (r"promo[çc][ãa]o", r"desconto", r"oferta", r"at[ée] \d+ ?%"),
}

# System mail: CI, alerts, trackers, billing, shipping, password/SSO, e-signature.
NOTIFICATION: Lexicon = {
    "en": (
        r"you are receiving this",
        r"you'?re receiving this",
        r"notification settings",
        r"run failed",
        r"build (?:failed|passed)",
        r"deployment (?:failed|succeeded)",
        r"workflow run",
        r"pull request",
        r"commented on",
        r"assigned to you",
        r"incident #?\d+",
        r"triggered",
        r"resolved",
        r"alert",
        r"invoice",
        r"receipt",
        r"payment (?:failed|received)",
        r"has shipped",
        r"tracking number",
        r"password",
        r"sign-?in",
        r"verification code",
        r"certificate",
        r"expires? in",
        r"completed:",
        r"has been signed",
        r"do not reply",
        r"automated (?:message|email)",
        r"scheduled maintenance",
        r"security advisory",
        r"reminder:",
        r"waiting for your approval",
        r"this is an automated",
        r"view (?:it )?on",
        r"acknowledge:",
        r"runbook",
    ),
    "es": (r"no responda", r"factura disponible", r"mensaje autom[aá]tico"),
    "de": (r"nicht antworten", r"automatisch erstellt", r"rechnung"),
    "fr": (r"ne pas r[ée]pondre", r"message automatique", r"facture"),
    "pt": (r"n[ãa]o responda", r"mensagem autom[aá]tica", r"fatura"),
}

NOREPLY_SENDER = (
    r"(?:no-?reply|do-?not-?reply|notifications?|notify|alerts?|mailer-daemon|postmaster|"
    r"billing|tracking|calendar-notification|automated|system|bounce|health|status)"
    r"[^@\s]*@"
)

BULK_SENDER = (
    r"(?:newsletter|news|marketing|offers?|deals|promo|hello|events?|webinars?|ofertas|info)"
    r"[^@\s]*@"
)

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


def union(lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(cue for cues in lexicon.values() for cue in cues)


def compile_cues(cues: Iterable[str]) -> re.Pattern[str]:
    # Lookarounds instead of \b so cues ending in punctuation ("1:1", "thoughts?") match.
    body = "|".join(f"(?:{c})" for c in cues)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


REQUEST_RE = compile_cues(union(REQUEST))
REPLY_RE = compile_cues(union(REPLY))
NO_REPLY_RE = compile_cues(union(NO_REPLY))
MEETING_RE = compile_cues(union(MEETING))
MARKETING_RE = compile_cues(union(MARKETING))
NOTIFICATION_RE = compile_cues(union(NOTIFICATION))
URGENT_RE = compile_cues(union(URGENT))
HIGH_RE = compile_cues(union(HIGH))
LOW_RE = compile_cues(union(LOW))
GROUP_RE = compile_cues(union(GROUP_ADDRESS))
MEETING_SUBJECT_RE = re.compile(MEETING_SUBJECT, re.IGNORECASE)
AUTO_REPLY_SUBJECT_RE = re.compile(AUTO_REPLY_SUBJECT, re.IGNORECASE)
NOREPLY_SENDER_RE = re.compile(NOREPLY_SENDER, re.IGNORECASE)
BULK_SENDER_RE = re.compile(BULK_SENDER, re.IGNORECASE)
GREETING_RE = re.compile(GREETING, re.IGNORECASE)
SIGNOFF_RE = re.compile(SIGNOFF, re.IGNORECASE)
