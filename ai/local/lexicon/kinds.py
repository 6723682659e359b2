"""Cues for what kind of mail it is: meetings, marketing, system notifications, senders."""

from __future__ import annotations

from ai.local.lexicon.base import Lexicon

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
