# ruff: noqa: RUF001, RUF003  -- the tables hold Cyrillic, CJK and full-width text on purpose
"""Language tables and compiled line patterns for quote, forward and signature markers.

Every pattern is compiled once, anchored, and uses bounded repetition so a hostile body
cannot make a line match take more than linear time.
"""

from __future__ import annotations

import re

# Verbs that end an attribution line ("On <date>, <who> wrote:") per language.
_WROTE = (
    r"wrote|writes|sent|schrieb|geschrieben|a\s+écrit|écrit|escribió|escreveu|"
    r"ha\s+scritto|scrisse|schreef|geschreven|skrev|skriver|kirjoitti|napisał\(a\)|napisała|"
    r"napisał|napisal|написал\(а\)|написала|написал|пишет|написав\(ла\)|написав|пише|"
    r"đã\s+viết|yazdı|írta"
)
# CJK attributions end in a full-width or ASCII colon without a word boundary.
_WROTE_CJK = r"写道|寫道|書きました|のメッセージ|님이\s*작성"
# Lead words that open an attribution in languages that put the verb in the middle.
_LEADS = r"On|Am|Le|El|Em|Il|Op|Den|På|W\s+dniu|Dnia|Vào|В|У|Le\s+\S+|Op\s+\S+"

ATTRIBUTION = re.compile(
    rf"^\s*(?:(?:{_LEADS})\s.{{0,300}}?(?:\b(?:{_WROTE}))\b.{{0,200}}[:：]"
    rf"|(?:{_LEADS})\s.{{0,300}}?\b(?:{_WROTE})"
    rf"|.{{0,300}}?\b(?:{_WROTE})\s*[:：]"
    rf"|.{{0,300}}?(?:{_WROTE_CJK}).{{0,40}}[:：])\s*$",
    re.IGNORECASE,
)
# An attribution needs some evidence of being one: a date, a time or an address.
ATTRIBUTION_EVIDENCE = re.compile(r"\d|@|<[^>]{1,200}>")
# A line that ends with a colon after an address and a date or time: an attribution in a
# language whose verb we do not know ("ср, 30 апр. 2025 г. в 15:19, X <x@y.z>:").
DATED_ADDRESS_ATTRIBUTION = re.compile(
    r"^\s*\S.{0,300}(?:\d{1,2}[:.]\d{2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b(?:19|20)\d{2}\b)"
    r".{0,300}[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}.{0,40}[:：]\s*$"
)
# The same without the colon ("2011/4/7 Name <a@b.c>"): only when ">" lines follow.
DATED_ADDRESS = re.compile(
    r"^\s*\S.{0,300}(?:\d{1,2}[:.]\d{2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b(?:19|20)\d{2}\b)"
    r".{0,300}[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}>?\)?\s*$"
)
# Gmail's numeric-date attribution without the colon, the date first:
# "2013/7/20 Name via List <a@b.c>". Date first and address last make it one on its own.
LEADING_DATE_ADDRESS = re.compile(
    r"^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b.{0,200}<[\w.+-]{1,64}@[\w-]{1,63}"
    r"(?:\.[\w-]{1,63}){1,8}>\s*$"
)
# Every attribution form ends in a colon, a dash run, an address or the verb: a cheap
# test that spares the patterns above most lines of prose.
WROTE_END = re.compile(rf"(?:{_WROTE}|{_WROTE_CJK})\s*$", re.IGNORECASE)


def _reversed_branches(alternation: str) -> str:
    r"""The alternation with each branch spelled backwards.

    Branches hold only literal characters, "\s+", "\s*", "\(" and "\)": reversing
    their atoms gives exactly the reversed language.
    """
    branches = []
    for branch in alternation.split("|"):
        atoms = re.findall(r"\\s[+*]|\\[()]|.", branch)
        if any(len(a) == 1 and a in "\\()[]{}?*+.^$" for a in atoms):
            raise ValueError(f"cannot reverse {branch!r}")
        branches.append("".join(reversed(atoms)))
    return "|".join(branches)


# WROTE_END on a reversed text, anchored at its start: one position tried, not every one.
# The text is stripped, so the verb's last character is its last: WROTE_LAST tests that.
WROTE_END_REVERSED = re.compile(
    rf"\s*(?:{_reversed_branches(_WROTE)}|{_reversed_branches(_WROTE_CJK)})", re.IGNORECASE
)
WROTE_LAST = re.compile(
    "[" + re.escape("".join({verb[-1] for verb in f"{_WROTE}|{_WROTE_CJK}".split("|")})) + "]",
    re.IGNORECASE,
)
LEAD_START = re.compile(rf"^\s*(?:{_LEADS})\s", re.IGNORECASE)
# Where an attribution starts inside a line ("reply--- On <date>, <who> wrote:").
INLINE_LEAD = re.compile(rf"(?<=\S)[\s\-]{{1,10}}(?=(?:{_LEADS})\s)")
# A wrapped attribution may end on a line that looks quoted: "<a@b.c\n>:" or "> wrote:".
ATTRIBUTION_TAIL = re.compile(rf"^\s*>\s*(?:(?:{_WROTE})\s*)?[:：]\s*$", re.IGNORECASE)
# Zero-width and tracking glyphs (Gmail's "ᐧ" read receipt) that carry no content.
NOISE_LINE = re.compile("^[\\s\u1427\u200b\u200c\u200d\ufeff]*$")
# A rule with words inside ("-------- Oprindelig besked --------"): a separator whose
# label we may not know; a boundary when a header block follows.
LABELLED_RULE = re.compile(r"^\s*[-_=*]{3,40}\s*[^\W\d_][^-_=*]{0,60}[-_=*]{3,40}\s*$")
# A line that ends with a colon and carries a date and a name or address: language-free
# attribution, accepted only when quoted (">") lines follow it.
LOOSE_ATTRIBUTION = re.compile(r"^\s*\S.{0,300}\d.{0,300}[:：]\s*$")

_ORIGINAL = (
    r"Original\s+Message|Reply\s+Message|Antwort\s+Nachricht|Original\s+E-?mail|Ursprüngliche\s+Nachricht|Originalnachricht|"
    r"Message\s+d'origine|Message\s+original|Mensaje\s+original|Mensagem\s+original|"
    r"Messaggio\s+originale|Oorspronkelijk\s+bericht|Origineel\s+bericht|"
    r"Originalmeddelande|Ursprungligt\s+meddelande|Opprinnelig\s+melding|"
    r"Oprindelig\s+meddelelse|Oprindelig\s+besked|Original\s+besked|Opprinnelig\s+e-post|Original\s+meddelelse|Alkuperäinen\s+viesti|"
    r"Wiadomość\s+oryginalna|Oryginalna\s+wiadomość|Исходное\s+сообщение|"
    r"Оригинальное\s+сообщение|Оригінальне\s+повідомлення|Вихідне\s+повідомлення|"
    r"原始邮件|原始郵件|原始信件|元のメッセージ|Původní\s+zpráva|Eredeti\s+üzenet|Orijinal\s+mesaj"
)
_FORWARDED = (
    r"Forwarded\s+message|Forwarded\s+e-?mail|Weitergeleitete\s+Nachricht|"
    r"Message\s+transféré|Mensaje\s+reenviado|Mensagem\s+encaminhada|Mensagem\s+reencaminhada|"
    r"Messaggio\s+inoltrato|Doorgestuurd\s+bericht|Vidarebefordrat\s+meddelande|"
    r"Videresendt\s+melding|Videresendt\s+meddelelse|Videresendt\s+besked|Välitetty\s+viesti|"
    r"Przekazana\s+wiadomość|Wiadomość\s+przekazana|Пересылаемое\s+сообщение|"
    r"Пересланное\s+сообщение|Переслане\s+повідомлення|Пересланий\s+лист|"
    r"转发的邮件|轉寄的郵件|已转发邮件|転送されたメッセージ|Přeposlaná\s+zpráva"
)
_DASHES = r"[-_=*~\s]{2,40}"
ORIGINAL_MESSAGE = re.compile(rf"^\s*{_DASHES}\s*(?:{_ORIGINAL})\s*:?\s*{_DASHES}\s*$", re.I)
FORWARD_MARKER = re.compile(
    rf"^\s*>?\s*(?:{_DASHES}\s*(?:{_FORWARDED})\s*:?\s*{_DASHES}"
    r"|Begin\s+forwarded\s+message\s*:|Début\s+du\s+message\s+(?:réexpédié|transféré)\s*:"
    r"|Anfang\s+der\s+weitergeleiteten\s+(?:Nachricht|E-Mail)\s*:"
    r"|Inicio\s+del\s+mensaje\s+reenviado\s*:|Início\s+da\s+mensagem\s+(?:reencaminhada|encaminhada)\s*:"
    r"|Inizio\s+messaggio\s+inoltrato\s*:|Begin\s+doorgestuurd\s+bericht\s*:"
    r"|(?:Början\s+på\s+)?vidarebefordrat\s+brev\s*:"
    r"|(?:Begynnelse\s+på\s+|Start\s+på\s+)?videresendt\s+(?:melding|besked|meddelelse)\s*:"
    r"|Välitetty\s+viesti\s+alkaa\s*:|Początek\s+przekazywanej\s+wiadomości\s*:"
    r"|Начало\s+(?:пересылаемого|переадресованного|пересланного)\s+сообщения\s*:"
    r"|Початок\s+пересланого\s+(?:листа|повідомлення)\s*:|以下是转发的邮件\s*[:：]"
    rf"|(?:{_FORWARDED})\s*[:：])\s*$",
    re.IGNORECASE,
)
# An attribution written between dash runs: "-----On <date>, <who> wrote-----".
DASHED_ATTRIBUTION = re.compile(
    rf"^\s*-{{2,40}}\s*\S.{{0,300}}\b(?:{_WROTE})\b\s*:?\s*-{{2,40}}\s*$", re.I
)

_FROM = (
    r"From|Von|De|Da|Van|Från|Fra|Frå|Lähettäjä|Od|Nadawca|От|От\s+кого|Від|Kimden|Feladó|"
    r"Afzender|Remitente|Mittente|Expéditeur|发件人|寄件者|差出人|보낸\s*사람"
)
_SENT = (
    r"Sent|Date|Gesendet|Datum|Envoyé|Envoyé\s+le|Enviado|Enviada|Fecha|Data|Inviato|"
    r"Verzonden|Verstuurd|Skickat|Sendt|Dato|Lähetetty|Päivämäärä|Wysłano|Wysłany|Data\s+wysłania|"
    r"Отправлено|Дата|Надіслано|Gönderildi|Tarih|Elküldve|发送时间|日期|寄件日期|送信日時|日付|날짜|보낸\s*날짜"
)
_TO = (
    r"To|An|À|A|Para|Aan|Till|Til|Vastaanottaja|Do|Кому|Komu|Kime|Címzett|"
    r"收件人|收件者|宛先|받는\s*사람"
)
_OTHER = (
    r"Cc|Bcc|Kopie|Copie|Copie\s+à|CC|Kopio|DW|Kopia|Копия|Копія|Bilgi|Másolat|抄送|副本|"
    r"Subject|Betreff|Objet|Asunto|Assunto|Oggetto|Onderwerp|Ämne|Emne|Aihe|Temat|Тема|"
    r"Konu|Tárgy|主题|主旨|件名|제목|Reply-To|Antwort\s+an|Risposta|Répondre\s+à|Responder\s+a|"
    r"Importance|Wichtigkeit|Priorität"
)
_FIELD_TAIL = r"\s*(?:\*\*|\*)?\s*[:：]"
_FIELD_HEAD = r"^\s*>?\s*(?:\*\*|\*)?"
HEADER_FROM = re.compile(rf"{_FIELD_HEAD}(?:{_FROM}){_FIELD_TAIL}", re.IGNORECASE)
HEADER_KEY = re.compile(rf"{_FIELD_HEAD}(?:{_FROM}|{_SENT}){_FIELD_TAIL}", re.IGNORECASE)
HEADER_ANY = re.compile(rf"{_FIELD_HEAD}(?:{_FROM}|{_SENT}|{_TO}|{_OTHER}){_FIELD_TAIL}", re.I)
# The most non-space characters a field name has: with its colon the first on the line,
# a longer name before that colon is no field (a cheap test before HEADER_ANY).
FIELD_NAME_MAX = max(
    len(re.sub(r"\\s[+*]", "", name)) for name in f"{_FROM}|{_SENT}|{_TO}|{_OTHER}".split("|")
)
# A Russian/Ukrainian/Polish-style one-line From header, "From: X [mailto:y]" etc. need
# nothing more; the block rule in text.py asks for two fields.

# Mobile and client footers, in the languages we know. Bounded to short lines so a
# sentence that merely mentions "sent from my phone" is not taken for a footer.
MOBILE_FOOTER = re.compile(
    r"^\s*[(<\[]*\s*(?:"
    r"Sent\s+from\s+my\s+(?:(?-i:[A-Z0-9])|(?:mobile|phone|cell|smart|tablet|device|i[a-z]|android|"
    r"samsung|galaxy|blackberry|huawei|pixel|windows|ipad|iphone))[^\n]{0,80}"
    r"|Sent\s+(?:from|via|with|using|on)\s+(?!my\s)(?:(?-i:[A-Z\[<(])[^\n]{0,80}|\w+(?:\s+\w+)?\.?)"
    r"|From\s+my\s+(?:i\S+|android|mobile|phone|samsung|galaxy|blackberry).{0,60}"
    r"|Get\s+(?:\[?Outlook|the\s+\w+\s+app).{0,80}"
    r"|Envoyé\s+(?:de|depuis|avec|à\s+partir)\s.{1,80}"
    r"|Gesendet\s+(?:von|vom|mit|über)\s.{1,80}|Von\s+meine[mr]?\s.{1,80}"
    r"|Diese\s+Nachricht\s+wurde\s+von\s+meinem\s.{1,100}gesendet.?"
    r"|Enviado\s+(?:desde|do|de|con|com|a\s+partir)\s.{1,80}"
    r"|Inviato\s+(?:da|dal|con|tramite)\s.{1,80}"
    r"|Verzonden\s+(?:met|vanaf|van|via)\s.{1,80}|Verstuurd\s+(?:met|vanaf|van)\s.{1,80}"
    r"|Skickat\s+från\s.{1,80}|Sendt\s+fra\s.{1,80}|Lähetetty\s.{1,80}"
    r"|Wysłane\s+z\s.{1,80}|Wysłano\s+z\s.{1,80}"
    r"|Отправлено\s+(?:с|из|через)\s.{1,80}|Надіслано\s+(?:з|із|через)\s.{1,80}"
    r"|(?:从|從|来自)我的.{1,40}|.{1,40}(?:から送信|より送信)"
    r"|sent\s+by\s+\w+"
    r")\s*[)>\]]*\s*$",
    re.IGNORECASE,
)
# What a MOBILE_FOOTER line starts with (after spaces and brackets): the first letter of
# one of its phrases, or anything before "から送信" / "より送信". Keep it in step with the
# pattern: it spares the pattern every other line.
MOBILE_FOOTER_START = re.compile(r"[\s(<\[]*[SFGEVDILWОН从從来]", re.IGNORECASE)
# Microsoft's "Get Outlook for iOS/Android" in any of its translations: a short line
# naming the app and the platform ("Outlook für iOS beziehen", "获取 Outlook for iOS").
OUTLOOK_APP_FOOTER = re.compile(
    r"^\s*[(<\[]*(?=[^\n]{0,60}$)(?=.*\bOutlook\b)(?=.*\b(?:iOS|Android)\b)[^.!?]*[)>\]]*\s*$"
)
# "-- " is the RFC 3676 signature delimiter; "--" and "—" are common sloppy variants.
SIG_DELIMITER = re.compile(r"^--\s*$")
# A line made only of rule characters (with at most one leading word character, as
# discourse's trimmer allows for "ᐧ" tracking marks).
RULE_LINE = re.compile(r"^\s*\S?\s*(?:-{2,}|_{2,}|={2,}|\*{2,}|~{2,}|#{2,}|\+{2,}|—{2,})\s*$")
QUOTE_LINE = re.compile(r"^\s{0,4}>")
# A Markdown code fence ("```python"): rule-like lines between two fences are code.
CODE_FENCE = re.compile(r"^\s{0,3}`{3,}[^`]{0,40}$")
# "-Name" on the last line: a dash sign-off, the shortest signature there is.
DASH_SIGNOFF = re.compile(r"^\s?-\s?[A-Z][\w.'-]{0,30}(?:\s[A-Z][\w.'-]{0,30}){0,2}\s*$")
