# ruff: noqa: RUF001  -- replies in Cyrillic and CJK, with full-width punctuation, on purpose
"""Reply separation in the 16 languages the issue names, for each common client style.

Written from the clients' own templates: Gmail, Apple Mail and Thunderbird attribution
lines, Outlook header blocks (with a rule, bare, and after "Original Message"), mobile
and "Get Outlook" footers, Gmail/Apple/Outlook HTML quotes, and forwards.
"""

from __future__ import annotations

import html

import pytest

from connectors.mail.quotes import split_html, split_text

QUESTION = "Can you send the quarterly figures?\nBest, John"

REPLY: dict[str, str] = {
    "en": "Thanks, that works for me. I will send the figures tomorrow.",
    "de": "Danke, das passt. Ich schicke die Zahlen morgen.",
    "fr": "Merci, cela me convient. J'enverrai les chiffres demain.",
    "es": "Gracias, me parece bien. Mañana envío las cifras.",
    "pt": "Obrigado, funciona para mim. Envio os números amanhã.",
    "it": "Grazie, per me va bene. Domani invio i numeri.",
    "nl": "Bedankt, dat werkt voor mij. Ik stuur morgen de cijfers.",
    "sv": "Tack, det fungerar för mig. Jag skickar siffrorna i morgon.",
    "no": "Takk, det passer meg. Jeg sender tallene i morgen.",
    "da": "Tak, det passer mig. Jeg sender tallene i morgen.",
    "fi": "Kiitos, se sopii minulle. Lähetän luvut huomenna.",
    "pl": "Dzięki, pasuje mi. Jutro wyślę liczby.",
    "ru": "Спасибо, мне подходит. Завтра пришлю цифры.",
    "uk": "Дякую, мені підходить. Завтра надішлю цифри.",
    "zh": "谢谢，这样可以。我明天发送数据。",
    "ja": "ありがとうございます。明日数字を送ります。",
}

ATTRIBUTIONS: dict[str, list[str]] = {
    "en": [
        "On Mon, Jan 8, 2024 at 10:15 AM John Smith <john@example.com> wrote:",
        "On 8 Jan 2024, at 10:15, John Smith <john@example.com> wrote:",
        "On 1/8/24 10:15 AM, John Smith wrote:",
    ],
    "de": [
        "Am Mo., 8. Jan. 2024 um 10:15 Uhr schrieb John Smith <john@example.com>:",
        "Am 08.01.2024 um 10:15 schrieb John Smith <john@example.com>:",
        "Am 08.01.24 um 10:15 schrieb John Smith:",
    ],
    "fr": [
        "Le lun. 8 janv. 2024 à 10:15, John Smith <john@example.com> a écrit :",
        "Le 8 janv. 2024 à 10:15, John Smith <john@example.com> a écrit :",
        "Le 08/01/2024 à 10:15, John Smith a écrit :",
    ],
    "es": [
        "El lun, 8 ene 2024 a las 10:15, John Smith (<john@example.com>) escribió:",
        "El 8 ene 2024, a las 10:15, John Smith <john@example.com> escribió:",
        "El 8/1/24 a las 10:15, John Smith escribió:",
    ],
    "pt": [
        "Em seg., 8 de jan. de 2024 às 10:15, John Smith <john@example.com> escreveu:",
        "No dia 8 de jan. de 2024, às 10:15, John Smith <john@example.com> escreveu:",
        "Em 08/01/2024 10:15, John Smith escreveu:",
    ],
    "it": [
        "Il giorno lun 8 gen 2024 alle ore 10:15 John Smith <john@example.com> ha scritto:",
        "Il giorno 8 gen 2024, alle ore 10:15, John Smith <john@example.com> ha scritto:",
        "Il 08/01/24 10:15, John Smith ha scritto:",
    ],
    "nl": [
        "Op ma 8 jan 2024 om 10:15 schreef John Smith <john@example.com>:",
        "Op 8 jan. 2024, om 10:15 heeft John Smith <john@example.com> het volgende geschreven:",
        "Op 08-01-2024 om 10:15 schreef John Smith:",
    ],
    "sv": [
        "Den mån 8 jan. 2024 kl 10:15 skrev John Smith <john@example.com>:",
        "8 jan. 2024 kl. 10:15 skrev John Smith <john@example.com>:",
        "2024-01-08 10:15, John Smith skrev:",
    ],
    "no": [
        "man. 8. jan. 2024 kl. 10:15 skrev John Smith <john@example.com>:",
        "8. jan. 2024 kl. 10:15 skrev John Smith <john@example.com>:",
        "Den 08.01.2024 10:15, skrev John Smith:",
    ],
    "da": [
        "Den man. 8. jan. 2024 kl. 10.15 skrev John Smith <john@example.com>:",
        "8. jan. 2024 kl. 10.15 skrev John Smith <john@example.com>:",
        "Den 08-01-2024 kl. 10:15 skrev John Smith:",
    ],
    "fi": [
        "ma 8. tammik. 2024 klo 10.15 John Smith (john@example.com) kirjoitti:",
        "8.1.2024 kello 10.15, John Smith <john@example.com> kirjoitti:",
        "John Smith kirjoitti 8.1.2024 klo 10.15:",
    ],
    "pl": [
        "pon., 8 sty 2024 o 10:15 John Smith <john@example.com> napisał(a):",
        "Wiadomość napisana przez John Smith <john@example.com> w dniu 08.01.2024, o godz. 10:15:",
        "W dniu 8.01.2024 o 10:15, John Smith pisze:",
    ],
    "ru": [
        "пн, 8 янв. 2024 г. в 10:15, John Smith <john@example.com>:",
        "8 янв. 2024 г., в 10:15, John Smith <john@example.com> написал(а):",
        "08.01.2024 10:15, John Smith пишет:",
    ],
    "uk": [
        "пн, 8 січ. 2024 р. о 10:15 John Smith <john@example.com> пише:",
        "8 січ. 2024 р. о 10:15 John Smith <john@example.com> написав(ла):",
        "08.01.2024 10:15, John Smith пише:",
    ],
    "zh": [
        "John Smith <john@example.com> 于2024年1月8日周一 10:15写道：",
        "在 2024年1月8日，10:15，John Smith <john@example.com> 写道：",
        "John Smith <john@example.com> 於 2024年1月8日 週一 上午10:15 寫道：",
    ],
    "ja": [
        "2024年1月8日(月) 10:15 John Smith <john@example.com>:",
        "2024/01/08 10:15、John Smith <john@example.com>のメール：",
        "2024年1月8日 10:15、John Smith <john@example.com> のメッセージ:",
    ],
}

OUTLOOK_FIELDS: dict[str, tuple[str, str, str, str]] = {
    "en": ("From", "Sent", "To", "Subject"),
    "de": ("Von", "Gesendet", "An", "Betreff"),
    "fr": ("De", "Envoyé", "À", "Objet"),
    "es": ("De", "Enviado", "Para", "Asunto"),
    "pt": ("De", "Enviado", "Para", "Assunto"),
    "it": ("Da", "Inviato", "A", "Oggetto"),
    "nl": ("Van", "Verzonden", "Aan", "Onderwerp"),
    "sv": ("Från", "Skickat", "Till", "Ämne"),
    "no": ("Fra", "Sendt", "Til", "Emne"),
    "da": ("Fra", "Sendt", "Til", "Emne"),
    "fi": ("Lähettäjä", "Lähetetty", "Vastaanottaja", "Aihe"),
    "pl": ("Od", "Wysłano", "Do", "Temat"),
    "ru": ("От", "Отправлено", "Кому", "Тема"),
    "uk": ("Від", "Надіслано", "Кому", "Тема"),
    "zh": ("发件人", "发送时间", "收件人", "主题"),
    "ja": ("差出人", "送信日時", "宛先", "件名"),
}

FOOTERS: dict[str, list[str]] = {
    "en": ["Sent from my iPhone", "Get Outlook for iOS", "Sent from my Galaxy"],
    "de": ["Von meinem iPhone gesendet", "Outlook für iOS beziehen"],
    "fr": ["Envoyé de mon iPhone", "Obtenir Outlook pour iOS"],
    "es": ["Enviado desde mi iPhone", "Obtener Outlook para iOS"],
    "pt": ["Enviado do meu iPhone", "Obter o Outlook para iOS"],
    "it": ["Inviato da iPhone", "Scarica Outlook per iOS"],
    "nl": ["Verzonden vanaf mijn iPhone", "Outlook voor iOS downloaden"],
    "sv": ["Skickat från min iPhone", "Hämta Outlook för iOS"],
    "no": ["Sendt fra min iPhone", "Få Outlook for iOS"],
    "da": ["Sendt fra min iPhone", "Hent Outlook til iOS"],
    "fi": ["Lähetetty iPhonesta", "Hanki Outlook iOS:lle"],
    "pl": ["Wysłane z iPhone'a", "Pobierz program Outlook dla systemu iOS"],
    "ru": ["Отправлено с iPhone", "Получить Outlook для iOS"],
    "uk": ["Надіслано з iPhone", "Отримати Outlook для iOS"],
    "zh": ["从我的iPhone发送", "获取 Outlook for iOS"],
    "ja": ["iPhoneから送信", "Outlook for iOS を入手"],
}

FORWARD_MARKERS: dict[str, list[str]] = {
    "en": ["---------- Forwarded message ---------", "Begin forwarded message:"],
    "de": [
        "---------- Weitergeleitete Nachricht ---------",
        "Anfang der weitergeleiteten Nachricht:",
    ],
    "fr": ["---------- Message transféré ---------", "Début du message réexpédié :"],
    "es": ["---------- Mensaje reenviado ---------", "Inicio del mensaje reenviado:"],
    "pt": ["---------- Mensagem encaminhada ---------", "Início da mensagem reencaminhada:"],
    "it": ["---------- Messaggio inoltrato ---------", "Inizio messaggio inoltrato:"],
    "nl": ["---------- Doorgestuurd bericht ---------", "Begin doorgestuurd bericht:"],
    "sv": ["---------- Vidarebefordrat meddelande ---------", "Början på vidarebefordrat brev:"],
    "no": ["---------- Videresendt melding ---------", "Begynnelse på videresendt melding:"],
    "da": ["---------- Videresendt besked ----------", "Start på videresendt besked:"],
    "fi": ["---------- Välitetty viesti ---------", "Välitetty viesti alkaa:"],
    "pl": ["---------- Przekazana wiadomość ---------", "Początek przekazywanej wiadomości:"],
    "ru": ["---------- Пересылаемое сообщение ---------", "Начало переадресованного сообщения:"],
    "uk": ["---------- Переслане повідомлення ---------", "Початок пересланого листа:"],
    "zh": ["---------- Forwarded message ---------", "以下是转发的邮件："],
    "ja": ["---------- 転送されたメッセージ ---------", "転送されたメッセージ:"],
}


def _quoted(prefix: str = "> ") -> str:
    return "\n".join(prefix + line for line in QUESTION.split("\n"))


def _outlook_block(lang: str) -> str:
    sender, sent, to, subject = OUTLOOK_FIELDS[lang]
    colon = " :" if lang == "fr" else ":"
    return (
        f"{sender}{colon} John Smith <john@example.com>\n{sent}{colon} 8 January 2024 10:15\n"
        f"{to}{colon} Alex <alex@example.com>\n{subject}{colon} Figures\n\n{QUESTION}\n"
    )


CASES = [
    *[
        pytest.param(lang, f"{REPLY[lang]}\n\n{line}\n\n{_quoted()}\n", id=f"{lang}-attribution{n}")
        for lang, lines in ATTRIBUTIONS.items()
        for n, line in enumerate(lines)
    ],
    *[
        pytest.param(lang, f"{REPLY[lang]}\n\n{lines[0]}\n{QUESTION}\n", id=f"{lang}-unmarked")
        for lang, lines in ATTRIBUTIONS.items()
    ],
    *[
        pytest.param(
            lang, f"{REPLY[lang]}\n\n{rule}{_outlook_block(lang)}", id=f"{lang}-outlook{n}"
        )
        for lang in OUTLOOK_FIELDS
        for n, rule in enumerate(
            ["", "________________________________\n", "-----Original Message-----\n"]
        )
    ],
    *[
        pytest.param(lang, f"{REPLY[lang]}\n\n{footer}\n", id=f"{lang}-footer{n}")
        for lang, footers in FOOTERS.items()
        for n, footer in enumerate(footers)
    ],
]


@pytest.mark.parametrize(("lang", "body"), CASES)
def test_text_reply_keeps_only_the_new_content(lang: str, body: str) -> None:
    assert split_text(body).visible.strip() == REPLY[lang]


def _gmail_html(lang: str) -> str:
    quote = "<br>".join(html.escape(line) for line in QUESTION.split("\n"))
    return (
        f'<div dir="ltr">{html.escape(REPLY[lang])}</div><br><div class="gmail_quote">'
        f'<div dir="ltr" class="gmail_attr">{html.escape(ATTRIBUTIONS[lang][0])}<br></div>'
        f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
        f'border-left:1px solid rgb(204,204,204);padding-left:1ex">{quote}</blockquote></div>'
    )


def _apple_html(lang: str) -> str:
    quote = "<br>".join(html.escape(line) for line in QUESTION.split("\n"))
    return (
        f'<html><body><div>{html.escape(REPLY[lang])}</div><div><br><blockquote type="cite">'
        f"<div>{html.escape(ATTRIBUTIONS[lang][1])}</div><br><div><div>{quote}</div></div>"
        f"</blockquote></div></body></html>"
    )


def _outlook_html(lang: str, web: bool) -> str:
    sender, sent, to, subject = OUTLOOK_FIELDS[lang]
    quote = "<br>".join(html.escape(line) for line in QUESTION.split("\n"))
    fields = (
        f"<b>{sender}:</b> John Smith &lt;john@example.com&gt;<br><b>{sent}:</b> Monday, "
        f"January 8, 2024 10:15 AM<br><b>{to}:</b> Alex &lt;alex@example.com&gt;<br>"
        f"<b>{subject}:</b> Figures"
    )
    header = (
        f'<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri">{fields}</font></div>'
        if web
        else '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
        f'<p class="MsoNormal">{fields}</p></div>'
    )
    return (
        f'<html><body><div class="WordSection1"><p class="MsoNormal">{html.escape(REPLY[lang])}'
        f'</p>{header}<p class="MsoNormal">{quote}</p></div></body></html>'
    )


HTML_CASES = [
    pytest.param(lang, build(lang), id=f"{lang}-{name}")
    for lang in REPLY
    for name, build in [
        ("gmail", _gmail_html),
        ("apple", _apple_html),
        ("outlook-web", lambda lang: _outlook_html(lang, web=True)),
        ("outlook-desktop", lambda lang: _outlook_html(lang, web=False)),
    ]
]


@pytest.mark.parametrize(("lang", "document"), HTML_CASES)
def test_html_reply_keeps_only_the_new_content(lang: str, document: str) -> None:
    assert split_html(document).visible.strip() == REPLY[lang]


@pytest.mark.parametrize(
    ("lang", "marker"),
    [
        pytest.param(lang, marker, id=f"{lang}-forward{n}")
        for lang, markers in FORWARD_MARKERS.items()
        for n, marker in enumerate(markers)
    ],
)
def test_forward_keeps_its_metadata_apart_from_the_note(lang: str, marker: str) -> None:
    sender, sent, to, subject = OUTLOOK_FIELDS[lang]
    body = (
        f"Please handle this.\n\n{marker}\n{sender}: John Smith <john@example.com>\n"
        f"{sent}: 8 January 2024 10:15\n{subject}: Figures\n{to}: Alex <alex@example.com>\n"
        f"\n{QUESTION}\n"
    )
    parts = split_text(body)
    assert parts.visible.strip() == "Please handle this."
    assert "John Smith" in parts.forwarded
    assert "Can you send the quarterly figures?" in parts.forwarded
