# ruff: noqa: RUF001  -- signatures and footers in Cyrillic and CJK on purpose
"""Header-like lines of the sender's own, bare forwards, disclaimers and CJK signatures.

Each case is written for the general rule it checks, with other names, wording and
languages than any benchmark case.
"""

from __future__ import annotations

import time

import pytest

from connectors.mail.quotes import split_html, split_text

ATTRIBUTION = "On Thu, 5 Mar 2026 at 18:04, Rui Costa <rui.costa@example.pt> wrote:"
QUOTE = "> Which train do we take?\n"

# The sender's own "label: value" lines: a journey, a delivery, a shift plan.
JOURNEYS = {
    "de": "Von: Köln Hbf\nAn: Frankfurt (Main) Hbf\nDatum: Samstag, 14. März\nAbfahrt: 08:54",
    "fr": "De : Bordeaux Saint-Jean\nÀ : Toulouse Matabiau\nDate : dimanche 15 mars\nDépart : 9h10",
    "sv": "Från: Malmö C\nTill: Lund C\nDatum: fredag 13 mars\nAvgång: 17:05 (Öresundståg)",
    "pl": "Od: Gdańsk Główny\nDo: Poznań Główny\nData: sobota, 14 marca\nOdjazd: 6:40",
    "ru": "От: Казанский вокзал\nКому: всей команде\nДата: суббота, 14 марта\nСбор: 07:30",
    "en": "From: Gate B12\nTo: Hotel Indigo\nDate: Monday 16 March\nShuttle: 14:30, 15:30",
}


@pytest.mark.parametrize("lang", sorted(JOURNEYS))
def test_journey_lines_in_the_reply_are_no_header_block(lang: str) -> None:
    reply = f"Hi all,\n\nthe plan:\n\n{JOURNEYS[lang]}\n\nBring a jacket.\n\nRui"

    parts = split_text(f"{reply}\n\n{ATTRIBUTION}\n\n{QUOTE}")

    assert parts.visible == reply


@pytest.mark.parametrize(
    "sent",
    [
        "Sent: Thursday, March 5, 2026 6:04 PM",
        "Lähetetty: torstai 5. maaliskuuta 2026 18.04",
        "Отправлено: \u200eчетверг\u200e, 5 \u200eмарта\u200e 2026 г. 18\u200e:\u200e04",
        "送信日時: 2026年3月5日 18:04",
    ],
)
def test_header_block_without_addresses_needs_a_time_of_day(sent: str) -> None:
    # Exchange writes names, not addresses: the sent time tells the block apart.
    history = f"From: Rui Costa\n{sent}\nTo: Ana Lopes\nSubject: Train\n\nWhich train?"

    parts = split_text(f"The 8:54 one.\n\nAna\n\n{history}\n")

    assert parts.visible == "The 8:54 one.\n\nAna"
    assert parts.quoted.startswith("From: Rui Costa")


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        (
            "________________________________",
            "From: Parcel Desk <desk@parcels.example>\nSent: Monday, March 9, 2026 7:12 AM\n"
            "To: Jo Park <jo@example.org>\nSubject: Your parcel is on its way",
        ),
        (
            "",
            "Da: Ufficio Viaggi <viaggi@example.it>\nInviato: lunedì 9 marzo 2026 07:12\n"
            "A: Jo Park <jo@example.org>\nOggetto: Conferma prenotazione",
        ),
        (
            "-----Ursprüngliche Nachricht-----",
            "Von: Stadtwerke <service@stadtwerke.example>\nGesendet: Montag, 9. März 2026 07:12"
            "\nAn: Jo Park\nBetreff: Zählerstand",
        ),
        (
            "",
            "От: Служба поддержки\nОтправлено: 9 марта 2026 г. 7:12\nКому: Jo Park\n"
            "Тема: Заявка 4471",
        ),
    ],
)
def test_header_block_with_nothing_above_is_a_forward(rule: str, fields: str) -> None:
    message = "Dear customer,\n\nyour request has been handled.\n\nThe service team"

    parts = split_text(f"\n\n{rule}\n{fields}\n\n{message}\n")

    assert parts.visible == message
    assert parts.quoted == ""
    assert parts.forwarded.startswith(rule or fields[:4])
    assert parts.forwarded.endswith("The service team")


def test_header_block_under_a_note_stays_a_reply() -> None:
    fields = (
        "From: Parcel Desk <desk@parcels.example>\nSent: Monday, March 9, 2026 7:12 AM\n"
        "To: Jo Park <jo@example.org>\nSubject: Your parcel"
    )

    parts = split_text(f"Got it, thanks.\n\n________________\n{fields}\n\nOn its way.\n")

    assert parts.visible == "Got it, thanks."
    assert parts.forwarded == ""
    assert "On its way." in parts.quoted


def test_forward_body_right_under_the_fields_and_a_wrapped_subject() -> None:
    # Word's text leaves no blank line under the block; a long subject wraps unindented.
    text = (
        "Von: Hausverwaltung <info@hv.example>\nGesendet: Montag, 9. März 2026 07:12\n"
        "Betreff: Ablesung der Heizkostenverteiler im Treppenhaus\n"
        "und in den Kellerräumen\nAn: Jo Park <jo@example.org>\n"
        "Sehr geehrte Mieter,\nam Dienstag wird abgelesen.\n"
    )

    parts = split_text(text)

    assert parts.visible == "Sehr geehrte Mieter,\nam Dienstag wird abgelesen."


def test_attribution_with_nothing_above_over_unquoted_text() -> None:
    text = (
        "Am Mo., 9. März 2026 um 10:15 Uhr schrieb Jo Park <jo@example.org>:\n\n"
        "Die Liste ist im Anhang.\n\nJo\n"
    )

    parts = split_text(text)

    assert parts.visible == "Die Liste ist im Anhang.\n\nJo"
    assert parts.quoted.startswith("Am Mo.")


OWA_FIELDS = (
    "<b>Van:</b> Gemeente Utrecht &lt;noreply@gemeente.example&gt;<br>"
    "<b>Verzonden:</b> maandag 9 maart 2026 07:12<br><b>Aan:</b> Jo Park &lt;jo@example.org&gt;"
    "<br><b>Onderwerp:</b> Afspraak paspoort"
)
OWA_MESSAGE = (
    "<div>Beste Jo,</div><div>uw afspraak is op 12 maart.</div><div>Gemeente Utrecht</div>"
)


def test_html_bare_forward_from_outlook_on_the_web() -> None:
    document = (
        "<html><body><div><br></div><div id='appendonsend'></div><hr>"
        f"<div id='divRplyFwdMsg'>{OWA_FIELDS}<div>&nbsp;</div></div>{OWA_MESSAGE}</body></html>"
    )

    parts = split_html(document)

    assert parts.visible == "Beste Jo,\nuw afspraak is op 12 maart.\nGemeente Utrecht"
    assert parts.forwarded.startswith("Van: Gemeente Utrecht")


def test_html_bare_forward_from_outlook_desktop() -> None:
    document = (
        "<html><body><div class=WordSection1><p class=MsoNormal>&nbsp;</p>"
        "<div style='border:none;border-top:solid #E1E1E1 1.0pt'>"
        f"<p class=MsoNormal>{OWA_FIELDS}</p></div>{OWA_MESSAGE}</div></body></html>"
    )

    assert split_html(document).visible == (
        "Beste Jo,\nuw afspraak is op 12 maart.\nGemeente Utrecht"
    )


def test_html_reply_above_the_separator_still_cuts_there() -> None:
    document = (
        "<html><body><div>Dank je, ik kom.</div><div id='appendonsend'></div><hr>"
        f"<div id='divRplyFwdMsg'>{OWA_FIELDS}</div>{OWA_MESSAGE}</body></html>"
    )

    parts = split_html(document)

    assert parts.visible == "Dank je, ik kom."
    assert "Afspraak paspoort" in parts.quoted


def test_html_body_that_opens_with_a_rule_is_not_history() -> None:
    document = "<html><body><hr><h1>Spring offers</h1><p>All tents 20% off.</p></body></html>"

    assert split_html(document).visible == "Spring offers\n\nAll tents 20% off."


REPLY = "The revised schedule is attached."
SIGN_OFF = "Kind regards,\nNoor"
CONTACT = "Noor Haddad\nProject Office\nBrightline Ltd\n+31 20 555 0134\nwww.brightline.example"
DISCLAIMERS = [
    "IMPORTANT NOTICE: the contents of this transmission may be privileged and are meant "
    "for the named recipient only.",
    "The content of this email is confidential and intended for the recipient specified "
    "in message only.",
    "Der Inhalt dieser E-Mail ist vertraulich und ausschließlich für den bezeichneten "
    "Empfänger bestimmt.",
    "Les informations contenues dans ce courriel sont confidentielles et réservées à leurs "
    "destinataires.",
    "La información contenida en este correo es confidencial y está dirigida únicamente a "
    "su destinatario.",
    "As informações contidas nesta mensagem são confidenciais e destinadas apenas ao "
    "destinatário indicado.",
    "Le informazioni contenute in questa e-mail sono riservate e destinate esclusivamente "
    "al destinatario.",
    "De inhoud van deze e-mail is vertrouwelijk en uitsluitend bestemd voor de geadresseerde.",
    "Innehållet i detta e-postmeddelande är konfidentiellt och endast avsett för mottagaren.",
    "Denne e-post kan inneholde konfidensiell informasjon og er kun ment for mottakeren.",
    "Indholdet af denne e-mail er fortroligt og udelukkende beregnet til modtageren af den.",
    "Tämä sähköposti voi sisältää luottamuksellista tietoa ja on tarkoitettu vain "
    "vastaanottajalle.",
    "Niniejsza wiadomość zawiera informacje poufne przeznaczone wyłącznie dla jej adresata.",
    "Информация в этом письме конфиденциальна и предназначена исключительно для адресата.",
    "Інформація в цьому листі є конфіденційною і призначена лише для адресата листа.",
    "此电子邮件及其附件可能包含保密信息，仅供指定收件人使用。如果您误收了此邮件，请立即通知发件人并删除，谢谢您的合作与理解。"
    "未经许可不得转发。",
    "このメールには機密情報が含まれている可能性があります。誤って受信された場合は、送信者にご連絡の上、削除してください。"
    "よろしくお願いします。",
]


@pytest.mark.parametrize("disclaimer", DISCLAIMERS)
def test_disclaimer_after_the_contact_block_is_signature(disclaimer: str) -> None:
    parts = split_text(f"{REPLY}\n\n{SIGN_OFF}\n\n{CONTACT}\n\n{disclaimer}\n")

    assert parts.visible == f"{REPLY}\n\n{SIGN_OFF}"
    assert parts.signature == f"{CONTACT}\n\n{disclaimer}"


@pytest.mark.parametrize("disclaimer", DISCLAIMERS[:4])
def test_disclaimer_right_under_the_sign_off_is_signature(disclaimer: str) -> None:
    parts = split_text(f"{REPLY}\n\n{SIGN_OFF}\n\n{disclaimer}\n")

    assert parts.visible == f"{REPLY}\n\n{SIGN_OFF}"


@pytest.mark.parametrize(
    "registration",
    [
        "Brightline GmbH | Sitz: Hamburg | Registergericht Hamburg HRB 45678",
        "Geschäftsführerin: Dr. Eva Lind, USt-IdNr. DE298765432",
        "Brightline B.V. – KvK 87654321 – BTW NL009876543B01",
        "Brightline SARL au capital social de 8 000 € – RCS Nantes 812 345 678",
        "Brightline S.L., CIF B87654321, Registro Mercantil de Valencia",
        "Brightline Sp. z o.o., KRS 0000987654, NIP 987-654-32-10",
        "Brightline Ltd, registered in England and Wales, company number 09876543",
    ],
)
def test_company_registration_lines_go_with_the_signature(registration: str) -> None:
    body = f"{REPLY}\n\n{SIGN_OFF}\n\n{CONTACT}\n\n{registration}\n\n{DISCLAIMERS[0]}\n"

    parts = split_text(body)

    assert parts.visible == f"{REPLY}\n\n{SIGN_OFF}"
    assert registration in parts.signature


def test_unrecognised_disclaimer_does_not_keep_the_contact_block() -> None:
    # Czech: a language whose disclaimer words we do not list.
    disclaimer = (
        "Tento e-mail je důvěrný a je určen pouze pro adresáta. Pokud jste jej obdrželi "
        "omylem, informujte prosím odesílatele a zprávu smažte."
    )

    parts = split_text(f"{REPLY}\n\n{SIGN_OFF}\n\n{CONTACT}\n\n{disclaimer}\n")

    assert parts.visible == f"{REPLY}\n\n{SIGN_OFF}"
    assert parts.signature.endswith(disclaimer)


@pytest.mark.parametrize(
    "text",
    [
        "Hi Noor,\n\nPlease treat this email as confidential until the board has met, the "
        "recipient list is kept short on purpose.",
        "Kind regards,\nNoor\n\nP.S. This message is confidential and intended for the "
        "recipient only, so do not forward it.",
        "Hello,\n\nthe Geschäftsführer signed the VAT declaration today.\n\nThanks\nNoor",
    ],
)
def test_message_text_about_confidentiality_stays(text: str) -> None:
    assert split_text(text).visible == text


@pytest.mark.parametrize(
    "footer",
    [
        "发自我的iPhone",
        "發自我的 iPhone",
        "从我的 iPad 发送",
        "從我的iPhone傳送",
        "iPhone から送信",
        "나의iPhone에서보냄",
        "发自网易邮箱大师",
        "来自 QQ邮箱",
    ],
)
def test_cjk_mobile_footers(footer: str) -> None:
    parts = split_text(f"收到，谢谢。\n\n{footer}\n\n> 明天开会吗？\n")

    assert parts.visible == "收到，谢谢。"
    assert parts.signature == footer


CJK_SIGNATURES = [
    (
        "資料を拝受しました。\n\n以上、何卒よろしくお願い申し上げます。",
        "北斗物産株式会社 管理部\n中村 由美\n〒060-0001 北海道札幌市中央区北1条西2-3\n"
        "電話：011-123-4567",
    ),
    (
        "报价单已收到，我们会尽快确认。\n\n此致\n敬礼\n陈静",
        "陈静\n采购部\n深圳示例电子有限公司\n手机：139 0000 1234\n邮箱：chenjing@example.cn",
    ),
    (
        "일정 확인했습니다.\n\n잘 부탁드립니다.\n박서연 드림",
        "박서연\n마케팅팀 대리\n(주)예시상사\nTel. 02-987-6543",
    ),
]


@pytest.mark.parametrize(("text", "signature"), CJK_SIGNATURES)
@pytest.mark.parametrize("frame", ["", "━━━━━━━━━━━━━━", "\uff1d" * 16, "─" * 20])
def test_cjk_company_signature_after_the_closing(text: str, signature: str, frame: str) -> None:
    block = f"{frame}\n{signature}\n{frame}" if frame else signature

    parts = split_text(f"{text}\n\n{block}\n")

    assert parts.visible == text


def test_many_long_tail_blocks_stay_fast() -> None:
    # Every block looks like legal prose; only the last few are ever read.
    block = "This message is confidential and meant for the addressee only. " * 20
    text = "\n\n".join([block] * 1000)

    start = time.perf_counter()
    split_text(text)

    assert time.perf_counter() - start < 1.0


def test_many_field_lines_stay_fast() -> None:
    lines = "\n".join(
        f"From: Stop {k}\nTo: Stop {k + 1}\nDate: Saturday, March {k % 28 + 1}" for k in range(400)
    )

    start = time.perf_counter()
    assert split_text(lines).visible == lines
    assert time.perf_counter() - start < 1.0
