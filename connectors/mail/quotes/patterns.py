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
    r"đã\s+viết|yazdı|írta|έγραψε|a\s+scris|napsal\(a\)|napsala|napsal|כתב/ה|כתבה|כתב|كتب"
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
# A time, a numeric date or a year: what every attribution without a verb carries.
_DATE_OR_TIME = r"(?:\d{1,2}[:.]\d{2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b(?:19|20)\d{2}\b)"
# A line that ends with a colon after an address and a date or time: an attribution in a
# language whose verb we do not know ("ср, 30 апр. 2025 г. в 15:19, X <x@y.z>:").
DATED_ADDRESS_ATTRIBUTION = re.compile(
    rf"^\s*\S.{{0,300}}{_DATE_OR_TIME}"
    r".{0,300}[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}.{0,40}[:：]\s*$"
)
# The same without the colon ("2011/4/7 Name <a@b.c>"): only when ">" lines follow.
DATED_ADDRESS = re.compile(
    rf"^\s*\S.{{0,300}}{_DATE_OR_TIME}"
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
# The marks, embeddings and isolates of the Unicode bidi algorithm: invisible, and
# Gmail's Hebrew and Arabic attributions carry them around each part.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
# Zero-width and tracking glyphs (Gmail's "ᐧ" read receipt) that carry no content.
NOISE_LINE = re.compile("^[\\s\u1427\u200b\u200c\u200d\ufeff]*$")
# A rule with words inside ("-------- Oprindelig besked --------"): a separator whose
# label we may not know; a boundary when a header block follows.
LABELLED_RULE = re.compile(r"^\s*[-_=*]{3,40}\s*[^\W\d_][^-_=*]{0,60}[-_=*]{3,40}\s*$")
# A line that ends with a colon and carries a date or time: language-free attribution,
# accepted only when quoted (">") lines follow it. A bare number ("§ 4 says:") is the
# sender's own lead-in to a citation.
LOOSE_ATTRIBUTION = re.compile(rf"^\s*\S.{{0,300}}{_DATE_OR_TIME}.{{0,300}}[:：]\s*$")

_ORIGINAL = (
    r"Original\s+Message|Reply\s+Message|Antwort\s+Nachricht|Original\s+E-?mail|Ursprüngliche\s+Nachricht|Originalnachricht|"
    r"Message\s+d'origine|Message\s+original|Mensaje\s+original|Mensagem\s+original|"
    r"Messaggio\s+originale|Oorspronkelijk\s+bericht|Origineel\s+bericht|"
    r"Originalmeddelande|Ursprungligt\s+meddelande|Opprinnelig\s+melding|"
    r"Oprindelig\s+meddelelse|Oprindelig\s+besked|Original\s+besked|Opprinnelig\s+e-post|Original\s+meddelelse|Alkuperäinen\s+viesti|"
    r"Wiadomość\s+oryginalna|Oryginalna\s+wiadomość|Исходное\s+сообщение|"
    r"Оригинальное\s+сообщение|Оригінальне\s+повідомлення|Вихідне\s+повідомлення|"
    r"原始邮件|原始郵件|原始信件|元のメッセージ|Původní\s+zpráva|Původní\s+e-?mail|Pôvodná\s+správa|"
    r"Eredeti\s+üzenet|Orijinal\s+mesaj|Özgün\s+ileti|Mesaj\s+original|Mesajul\s+original|"
    r"Αρχικό\s+μήνυμα|הודעה\s+מקורית|الرسالة\s+الأصلية|원본\s*메시지|Izvorna\s+poruka|"
    r"Оригинално\s+съобщение|Pesan\s+Asli|Tin\s+nhắn\s+gốc"
)
_FORWARDED = (
    r"Forwarded\s+message|Forwarded\s+e-?mail|Weitergeleitete\s+Nachricht|"
    r"Message\s+transféré|Mensaje\s+reenviado|Mensagem\s+encaminhada|Mensagem\s+reencaminhada|"
    r"Messaggio\s+inoltrato|Doorgestuurd\s+bericht|Vidarebefordrat\s+meddelande|"
    r"Videresendt\s+melding|Videresendt\s+meddelelse|Videresendt\s+besked|Välitetty\s+viesti|"
    r"Przekazana\s+wiadomość|Wiadomość\s+przekazana|Пересылаемое\s+сообщение|"
    r"Пересланное\s+сообщение|Переслане\s+повідомлення|Пересланий\s+лист|"
    r"转发的邮件|轉寄的郵件|已转发邮件|転送されたメッセージ|Přeposlaná\s+zpráva|Preposlaná\s+správa|"
    r"Továbbított\s+üzenet|İletilen\s+ileti|Yönlendirilmiş\s+ileti|Mesaj\s+redirecționat|"
    r"Mesaj\s+redirecţionat|Mesaj\s+transmis|Προωθημένο\s+μήνυμα|הודעה\s+שהועברה|"
    r"رسالة\s+مُ?عاد\s+توجيهها|الرسالة\s+المُ?عاد\s+توجيهها|전달된\s*메시지|Proslijeđena\s+poruka"
)
# Lotus Notes names who forwarded, and when, between its dash runs:
# "----- Forwarded by Tom Baker/UK/Acme on 11/02/2026 13:27 -----".
_FORWARDED_BY = (
    r"Forwarded\s+by|Weitergeleitet\s+von|Réacheminé\s+par|Transféré\s+par|Inoltrato\s+da|"
    r"Reenviado\s+por|Encaminhado\s+por|Doorgestuurd\s+door|Vidarebefordrat\s+av|"
    r"Videresendt\s+af|Videresendt\s+av|Przekazane\s+przez|Переслано"
)
_DASHES = r"[-_=*~\s]{2,40}"
ORIGINAL_MESSAGE = re.compile(rf"^\s*{_DASHES}\s*(?:{_ORIGINAL})\s*:?\s*{_DASHES}\s*$", re.I)
FORWARD_MARKER = re.compile(
    rf"^\s*>?\s*(?:{_DASHES}\s*(?:{_FORWARDED})\s*:?\s*{_DASHES}"
    rf"|-{{2,40}}\s*(?:{_FORWARDED_BY})\s[^\n]{{1,200}}?\s-{{2,40}}"
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
    r"Afzender|Remitente|Mittente|Expéditeur|发件人|寄件者|差出人|보낸\s*사람|De\s+la|Από|מאת|"
    r"من|Šalje|Dari|Từ"
)
_SENT = (
    r"Sent|Date|Gesendet|Datum|Envoyé|Envoyé\s+le|Enviado|Enviada|Fecha|Data|Inviato|"
    r"Verzonden|Verstuurd|Skickat|Sendt|Dato|Lähetetty|Päivämäärä|Wysłano|Wysłany|Data\s+wysłania|"
    r"Отправлено|Дата|Надіслано|Gönderildi|Tarih|Elküldve|发送时间|日期|寄件日期|送信日時|日付|날짜|보낸\s*날짜|"
    r"Enviado\s+el|Odesláno|Odoslané|Dátum|Trimis|Αποστολή|Ημερομηνία|נשלח|תאריך|تم\s+الإرسال|"
    r"التاريخ|Poslano|Dikirim|Đã\s+gửi|Изпратено|Εστάλη|Στάλθηκε|أُ?رسل"
)
_TO = (
    r"To|An|À|A|Para|Aan|Till|Til|Vastaanottaja|Do|Кому|Komu|Kime|Címzett|"
    r"收件人|收件者|宛先|받는\s*사람|Pour|Către|Catre|Προς|אל|إلى|Prima|Kepada|Đến|До"
)
_OTHER = (
    r"Cc|Bcc|Kopie|Copie|Copie\s+à|CC|Kopio|DW|Kopia|Копия|Копія|Bilgi|Másolat|抄送|副本|"
    r"Subject|Betreff|Objet|Asunto|Assunto|Oggetto|Onderwerp|Ämne|Emne|Aihe|Temat|Тема|"
    r"Konu|Tárgy|主题|主旨|件名|제목|Reply-To|Antwort\s+an|Risposta|Répondre\s+à|Responder\s+a|"
    r"Importance|Wichtigkeit|Priorität|Sujet|Předmět|Predmet|Subiect|Θέμα|נושא|الموضوع|"
    r"Κοιν|עותק|نسخة|참조|Másolatot\s+kap|Svara\s+till|Antwoord\s+aan|Odpowiedź\s+do|"
    r"Ответить|Rispondi\s+a|Относно|Zadeva|Subjek|Chủ\s+đề"
)
# A time of day as a sent date carries it: "08:15", "5:42 PM", "kl. 16.20", "8.15"; not
# the day and month of a date ("20.06.2024").
TIME_OF_DAY = re.compile(r"(?<![\d.:])\d{1,2}(?::\d{2}|\.\d{2}(?![.\d]))(?!\d)")
# The "To" label of a Lotus Notes header table: alone on its line, right-aligned.
TABLE_TO_LABEL = re.compile(rf"^\s{{20,}}(?:{_TO})\s*$", re.IGNORECASE)
_FIELD_TAIL = r"\s*(?:\*\*|\*)?\s*[:：]"
_FIELD_HEAD = r"^\s*>?\s*(?:\*\*|\*)?"
# The field's kind is the name of the group that matched.
HEADER_FIELD = re.compile(
    rf"{_FIELD_HEAD}(?:(?P<from>{_FROM})|(?P<sent>{_SENT})|(?P<to>{_TO})|(?P<other>{_OTHER}))"
    rf"{_FIELD_TAIL}",
    re.IGNORECASE,
)
HEADER_ANY = re.compile(rf"{_FIELD_HEAD}(?:{_FROM}|{_SENT}|{_TO}|{_OTHER}){_FIELD_TAIL}", re.I)
# The most non-space characters a field name has: with its colon the first on the line,
# a longer name before that colon is no field (a cheap test before HEADER_FIELD).
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
    r"|(?:从|從|来自|來自|发自|發自|寄自|发送自|發送自)\s*我的.{1,40}|.{1,40}(?:から送信|より送信)"
    # Chinese mail apps sign with their name: "发自网易邮箱大师", "来自QQ邮箱".
    r"|(?:来自|來自|发自|發自)\s*(?:网易|網易|QQ|腾讯|騰訊|阿里|钉钉|釘釘|企业微信|企業微信|"
    r"Foxmail|新浪|搜狐|iPhone|iPad|Android)[^\n,.!?，。！？]{0,30}"
    r"|sent\s+by\s+\w+"
    r")\s*[)>\]]*\s*$",
    re.IGNORECASE,
)
# What a MOBILE_FOOTER line starts with (after spaces and brackets): the first letter of
# one of its phrases, or anything before "から送信" / "より送信". Keep it in step with the
# pattern: it spares the pattern every other line.
MOBILE_FOOTER_START = re.compile(r"[\s(<\[]*[SFGEVDILWОН从從来來发發寄]", re.IGNORECASE)
# Microsoft's "Get Outlook for iOS/Android" in any of its translations: a short line
# naming the app and the platform ("Outlook für iOS beziehen", "iOS용 Outlook 받기"),
# tested with its links (LINK) taken out. Letters, not \b, bound the names: in "iOS용"
# the Hangul is a word character too.
OUTLOOK_APP_FOOTER = re.compile(
    r"^\s*[(<\[]*(?=[^\n]{0,60}$)(?=.*(?<![A-Za-z])Outlook(?![A-Za-z]))"
    r"(?=.*(?<![A-Za-z])(?:iOS|Android)(?![A-Za-z]))[^.!?]*[)>\]]*\s*$"
)
# A link as footers carry it: "<https://aka.ms/o0ukef>", "[url]", or bare.
LINK = re.compile(r"<[^<>\s]{1,300}>|\[[^\[\]\s]{1,300}\]|https?://\S{1,300}")
# "Sent from my iPhone" in any language, told by its parts: a "sent" verb as the first
# or the last word of a short line ("Odesláno z iPhonu", "iPhone'umdan gönderildi",
# "나의 iPhone에서 보냄"), and a device or app named in it. Matched on lowered words.
SENT_FIRST_WORD = re.compile(
    r"sent|gesendet|envoyé|enviad[oa]|enviat|inviato|verzonden|verstuurd|skickat|skickades|"
    r"sendt|lähetetty|wysłane|wysłano|отправлено|надіслано|адпраўлена|изпратено|послато|"
    r"odesláno|odoslané|poslano|poslato|elküldve|küldve|trimis|στάλθηκε|εστάλη|απεστάλη|נשלח|"
    r"أُ?رسلت|أُ?رسل|مرسل|تم|được|gửi|dikirim|dihantar|išsiųsta|nosūtīts|saadetud"
)
SENT_LAST_WORD = re.compile(
    r"gesendet|gönderildi|küldve|elküldve|verzonden|verstuurd|skickat|sendt|lähetetty|envoyé|"
    r"enviado|inviato|wysłane|odesláno|trimis|보냄|전송됨"
    # Chinese and Japanese write the verb onto the word before it ("iPhoneから送信").
    r"|.*(?:送信|发送|發送|傳送|보냄|전송됨)"
)
# "iPhonu", "iPhone-ul" hold "iphon".
FOOTER_DEVICE = re.compile(
    r"iphon|ipad|ipod|apple watch|android|galaxy|samsung|blackberry|huawei|xiaomi|pixel|"
    r"oneplus|windows|smartphone|outlook|yahoo|proton|aol"
)
# A clause break: "Sent the report to Samsung, see attached" is a sentence.
CLAUSE_BREAK = re.compile("[,;!?\u060c\uff0c\u3001]")
# "-- " is the RFC 3676 signature delimiter; "--" and "—" are common sloppy variants.
SIG_DELIMITER = re.compile(r"^--\s*$")
# A line made only of rule characters (with at most one leading word character, as
# discourse's trimmer allows for "ᐧ" tracking marks), box-drawing and full-width ones
# included: Japanese signatures are framed by "━━━━" or "＝＝＝＝".
RULE_LINE = re.compile(
    r"^\s*\S?\s*(?:-{2,}|_{2,}|={2,}|\*{2,}|~{2,}|#{2,}|\+{2,}|—{2,}|[―─━═＝－＿]{2,})\s*$"
)
QUOTE_LINE = re.compile(r"^\s{0,4}>")
# A bulleted or numbered list item: "- item", "* item", "• item", "1. item", "2) item".
LIST_ITEM = re.compile(r"^\s{0,8}(?:[-*•–]|\d{1,2}[.)])\s+\S")
# A Markdown code fence ("```python"): rule-like lines between two fences are code.
CODE_FENCE = re.compile(r"^\s{0,3}`{3,}[^`]{0,40}$")
# What a signature's contact lines hold: a phone number, a web or mail address. Their
# labels ("Tel.:", "M:", "电话：") need not be known: the value tells.
CONTACT_DETAIL = re.compile(
    r"\+?\(?\d[\d ().\-/]{6,20}\d|www\.|https?://|[\w.+-]{1,64}@[\w-]{1,63}\.\w|〒\s?\d",
    re.IGNORECASE,
)
# The closing words a sign-off opens with ("Best,", "Viele Grüße", "С уважением,"), in
# the languages we know; the sender's name may follow on the same line.
CLOSING = re.compile(
    r"^\s*(?:(?:(?:many\s+|big\s+)?thanks|thank\s+you|cheers|best|(?:best|kind|warm|warmest)\s+"
    r"(?:regards|wishes)|regards|all\s+the\s+best|sincerely|yours(?:\s+\w+)?|take\s+care|"
    r"(?:viele|beste|liebe|herzliche|schöne|freundliche)\s+grüße|lg|vg|mfg|"
    r"mit\s+freundlichen\s+grüßen|grüße|gruß|danke|cordialement|bien\s+cordialement|"
    r"bien\s+à\s+vous|merci|bonne\s+(?:journée|soirée)|à\s+bientôt|salutations|amitiés|bises|"
    r"(?:un\s+)?saludos?|atentamente|gracias|un\s+abrazo|cordialmente|obrigad[oa]|"
    r"atenciosamente|(?:com\s+os\s+)?(?:melhores\s+)?cumprimentos|abraços?|cordiali\s+saluti|(?:distinti\s+)?saluti|"
    r"un\s+saluto|grazie|a\s+presto|met\s+vriendelijke\s+groet|(?:hartelijke\s+)?groet(?:en)?|"
    r"mvg|bedankt|mvh|(?:med\s+)?(?:vänliga?\s+|bästa\s+)?hälsning(?:ar)?|"
    r"(?:(?:med\s+)?(?:venlig|vennlig|vennlige|bedste|beste|mange)\s+)?hils(?:en|ner|ninger)|"
    r"tack|takk|tak|"
    r"(?:ystävällisin\s+)?terveisin|kiitos|pozdrawiam|z\s+poważaniem|dziękuję|"
    r"с\s+уважением|спасибо|всего\s+доброго|з\s+повагою|дякую|s\s+pozdravem|díky|děkuji|"
    r"saygılarımla|teşekkürler|iyi\s+çalışmalar|üdvözlettel|üdv|köszönöm|με\s+εκτίμηση|"
    r"ευχαριστώ|φιλικά|בברכה|תודה|مع\s+(?:خالص\s+|أطيب\s+)?التحي(?:ة|ات)|شكرا|"
    r"و?تفضلوا\s+بقبول(?:\s+(?:فائق|خالص))?(?:\s+(?:الاحترام|التقدير))?|تحياتي|cu\s+stimă|mulțumesc)(?!\w)"
    # CJK writes no spaces: a closing runs on into its verb ending ("お願いいたします").
    # Japanese often ends with "以上" ("that is all") before the closing.
    r"|(?:以上[、,，。]?\s*)?(?:何卒|引き続き|今後とも)?(?:よろしく|宜しく|よろしゅう)\s*お願い"
    r"|以上(?:です|となります)?[。.]?\s*$"
    r"|(?:谢谢|謝謝|多谢|多謝|感谢|感謝|此致|敬礼|敬禮|祝好|顺祝|順祝|祝(?:您)?工作顺利|"
    r"감사합니다|감사드립니다|고맙습니다|(?:잘\s*)?부탁(?:드립니다|드려요)|수고하세요))",
    re.IGNORECASE,
)
# "P.S." and its kin: what follows is the sender's, whatever it holds.
POSTSCRIPT = re.compile(r"^\s*P\.?\s?(?:P\.?\s?)?S\b", re.IGNORECASE)
# The opening words of a legal disclaimer under a signature: a label ("LEGAL NOTICE:",
# "AVISO LEGAL:", "Haftungsausschluss") or the message naming itself in its first words.
DISCLAIMER = re.compile(
    r"^\s*\W{0,3}(?:(?:CONFIDENTIALITY|CONFIDENTIAL|DISCLAIMER|PRIVILEGED|LEGAL\s+NOTICE|"
    r"IMPORTANT\s+NOTICE|NOTICE\s+OF\s+CONFIDENTIALITY|AVISO\s+LEGAL|AVISO\s+DE\s+CONFIDENCIALIDAD[E]?|"
    r"CONFIDENCIALIDAD[E]?|AVERTISSEMENT|CONFIDENTIALITÉ|MENTIONS\s+LÉGALES|AVVISO\s+DI\s+RISERVATEZZA|"
    r"AVVERTENZA|RISERVATEZZA|CLAUSOLA\s+DI\s+RISERVATEZZA|HAFTUNGSAUSSCHLUSS|RECHTLICHER\s+HINWEIS|"
    r"VERTRAULICHKEITSHINWEIS|WICHTIGER\s+HINWEIS|VERTROUWELIJKHEID(?:SCLAUSULE)?|KLAUZULA\s+POUFNOŚCI|"
    r"ZASTRZEŻENIE|YASAL\s+UYARI|GİZLİLİK(?:\s+UYARISI)?|ANSVARSFRISKRIVNING|SEKRETESS|FORTROLIGHED|"
    r"KONFIDENSIALITET|VASTUUVAPAUSLAUSEKE|LUOTTAMUKSELLISUUS|КОНФИДЕНЦИАЛЬНОСТЬ|ПРЕДУПРЕЖДЕНИЕ|"
    r"КОНФІДЕНЦІЙНІСТЬ|ЗАСТЕРЕЖЕННЯ)\b"
    r"|免责声明|免責聲明|保密声明|保密聲明|機密保持|免責事項|【注意】|【機密】"
    r"|This\s+(?:e-?mail|message|communication)\s+(?:and|is|may|contains|including)\b"
    r"|Diese\s+(?:E-Mail|Nachricht)\s+(?:enthält|ist|kann)\b"
    r"|Ce\s+(?:message|courriel|e-mail)\s+(?:et|est|peut|contient)\b"
    r"|Este\s+(?:mensaje|correo)\s+(?:y|es|puede|contiene)\b"
    r"|Questo\s+messaggio\s+(?:e|è|può|contiene)\b"
    r"|Le\s+informazioni\s+contenute\b|Dit\s+(?:e-?mail)?bericht\s+(?:is|kan|bevat)\b)",
    re.IGNORECASE,
)
# A disclaimer whatever its opening: prose that speaks of the message (or its
# attachments) and of confidentiality, its recipient or its sending in error, in the
# languages we know. Both must occur; the caller asks for a paragraph's length too.
# Matched on lowered text: case-blind matching of these alternations costs eight times
# as much.
DISCLAIMER_MESSAGE = re.compile(
    r"e-?mail|message|communication|transmission|attachment|nachricht|anhäng|anlage|courriel|"
    r"pièces?\s+jointes?|mensaje|correo|adjunto|anexo|mensagem|messaggio|allegat|bericht|"
    r"bijlage|meddelande|bilag|e-?post|meddelelse|vedhæft|melding|vedlegg|viesti|sähköposti|"
    r"liite|wiadomoś|załącz|ileti|mesaj|сообщени|письм|вложени|повідомлен|лист|邮件|郵件|"
    r"附件|メール|添付|메일|첨부"
)
DISCLAIMER_LEGAL = re.compile(
    r"confidential|privileged|intended\s+(?:solely\s+|only\s+|exclusively\s+)?(?:for|recipient)|"
    r"addressee|in\s+error|vertraulich|empfänger|adressat|irrtümlich|confidentiel|destinataire|"
    r"par\s+erreur|confidencial|destinatári|destinatari|por\s+(?:error|engano)|riservat|"
    r"per\s+errore|vertrouwelijk|geadresseerde|per\s+vergissing|konfidentiel|sekretess|"
    r"mottagare|fortrolig|modtager|mottaker|luottamuksellinen|vastaanottaja|poufn|adresat|"
    r"gizli|alıcı|конфиденциальн|адресат|конфіденційн|保密|机密|機密|秘密|기밀|수신자"
)
# Company registration lines under a signature ("Amtsgericht Stuttgart HRB 123456",
# "KvK 12345678", "SIRET ...", "Registered in England, Company No. ..."): legal
# boilerplate like a disclaimer. The acronyms, as written; the words, on lowered text.
REGISTRATION_ID = re.compile(
    r"\b(?:HRB|HRA|KvK|BTW|SIRET|SIREN|RCS|CIF|NIF|NIPC|P\.\s?IVA|REA|KRS|NIP|REGON|"
    r"CVR|ABN|ACN|VAT|ИНН|ОГРН|КПП|ЄДРПОУ|USt-?Id(?:Nr|-Nr)?)\b"
)
REGISTRATION = re.compile(
    r"amtsgericht|registergericht|handelsregister|geschäftsführ(?:er|erin|ung)|"
    r"sitz\s+der\s+gesellschaft|kamer\s+van\s+koophandel|capital\s+social|partita\s+iva|"
    r"registro\s+mercantil|organisationsnummer|org\.?\s?nr|y-tunnus|company\s+(?:no|number|reg)|"
    r"registered\s+(?:office|in\s+england|in\s+scotland|address|number)|ticaret\s+sicil|"
    r"mersis|统一社会信用代码|登録番号"
)
# "-Name" on the last line: a dash sign-off, the shortest signature there is.
DASH_SIGNOFF = re.compile(r"^\s?-\s?[A-Z][\w.'-]{0,30}(?:\s[A-Z][\w.'-]{0,30}){0,2}\s*$")
# A company's legal form: a line that carries one names the company, not the sender.
COMPANY = re.compile(
    r"\b(?:GmbH|AG|KG|mbB|Ltd|LLC|LLP|Inc|Corp|plc|B\.V|N\.V|BV|NV|AB|ApS|A/S|AS|ASA|Oy|Oyj|"
    r"S\.?A|S\.?L|SAS|SARL|S\.?r\.?l|S\.?p\.?A|s\.r\.o|a\.s|Sp\.\s?z\s?o\.\s?o|A\.Ş|"
    r"ООО|ОАО|ЗАО|АО|ПАО|ТОВ|ПрАТ)\b|株式会社|有限会社|有限公司|公司|주식회사|\(주\)|בע״מ|בע\"מ"
)
