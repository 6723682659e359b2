"""Cues for asks of the reader: requests, asks answered by writing back, and "no reply needed"."""

from __future__ import annotations

from ai.local.lexicon.base import Lexicon

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
        r"you(?:'ll| will)? have to",
        r"need your",
        r"i need (?:the|a|an|your|\d)",
        r"i'?ll (?:also )?need",
        r"i also need",
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
        r"tienes que",
        r"debes",
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
        r"sie m[üu]ssen",
        r"du musst",
    ),
    "fr": (
        r"pourrais-tu",
        r"pourriez-vous",
        r"peux-tu",
        r"pouvez-vous",
        r"merci de",
        r"veuillez",
        r"j'aurai(?: aussi| également)? besoin",
        r"j'ai besoin",
        r"nous avons besoin",
        r"il faut",
        r"vous devez",
        r"tu dois",
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
        r"voc[êe] (?:tem de|tem que|precisa)",
        r"(?:voc[êe] )?consegue",
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
        r"(?:te|le|os) (?:vendr[ií]a|va|viene|ir[ií]a) bien",
    ),
    "de": (
        r"best[äa]tig",
        r"geben sie (?:mir )?bescheid",
        r"sag mir",
        r"teilen sie mir",
        r"r[üu]ckmeldung",
        r"ihre meinung",
        r"schicken sie mir",
        r"passt (?:es )?(?:dir|ihnen|euch)",
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
        r"(?:me )?confirmer",
        r"confirmez",
        r"(?:[çc]a )?(?:te|vous) (?:va|convient|conviendrait)",
    ),
    "pt": (
        r"confirm(?:e|a|ar)",
        r"me diga",
        r"diz-me",
        r"avise",
        r"responda",
        r"me avisa",
        r"qual (?:data|op[çc][ãa]o)",
        r"(?:funciona|serve) para (?:voc[êe]s?|ti)",
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

# An imperative opening a sentence ("Send ...", "Prévois ...", "Envía ...", "Schicken Sie ...").
IMPERATIVE_START = (
    r"^(?:please\s+)?(?:send|review|submit|add|update|book|enroll|renew|approve|complete|sign|"
    r"confirm|share|fill(?: out| in)?|register|migrate|prepare|read|reply|respond|upload|"
    r"schedule|check|verify|rotate|acknowledge|estimate|rsvp|return|provide|finish|file|"
    r"block|reserve|pick|choose|decide|let me know|get|make|forward|bring|enter|identify|"
    r"investigate|fix|escalate|nominate|email|come with|have [^.]{0,40} ready|"
    # French, tu and vous forms.
    r"envoie|envoyez|pr[ée]vois|pr[ée]voyez|remplis|remplissez|apporte|apportez|"
    r"pense à|pensez à|confirme|confirmez|v[ée]rifie|v[ée]rifiez|r[ée]serve|r[ée]servez|"
    r"inscris-toi|inscrivez-vous|transf[èe]re|transf[ée]rez|"
    # Spanish, tú and usted forms.
    r"env[ií]a(?:me|nos)?|env[ií]e|manda(?:me|nos)?|revisa|confirma|prepara|trae|traiga|"
    r"rellena|completa|reserva|reg[ií]strate|inscr[ií]bete|"
    # Portuguese.
    r"envie|mande|revise|confirme|prepare|traga|preencha|leve|verifique|atualize|"
    r"inscreva-se|"
    # German, Sie and du forms.
    r"(?:schicken|senden|pr[üu]fen|best[äa]tigen|f[üu]llen|bringen|buchen|reservieren|"
    r"tragen|melden) sie|schick|pr[üu]f)\b"
)
