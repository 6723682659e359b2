# ruff: noqa: RUF001  -- replies in Greek, Hebrew, Arabic, Cyrillic and CJK on purpose
"""Rules for inline replies, false cuts, footers, localized headers and signatures.

Each case is written for the general rule it checks (other names, wording and dates
than any benchmark case): a client's template, or a trap in the sender's own text.
"""

from __future__ import annotations

import time

import pytest

from connectors.mail.quotes import split_html, split_text

QUOTE = "> Can we move the review to Monday?\n>\n> Kim\n"


def test_inline_reply_keeps_the_first_answered_block() -> None:
    text = (
        "Hello Kim,\n\nSee below.\n\nOn Wed, Mar 4, 2026 at 9:12 AM Kim Park <kim@example.org>"
        " wrote:\n\n> Is the invoice paid?\n\nYes, on Friday.\n\n> And the deposit?\n\n"
        "Not yet.\n\n> Thanks,\n> Kim\n"
    )

    parts = split_text(text)

    assert parts.visible == (
        "Hello Kim,\n\nSee below.\n\n> Is the invoice paid?\n\nYes, on Friday.\n\n"
        "> And the deposit?\n\nNot yet."
    )
    assert "wrote:" in parts.quoted
    assert "> Thanks," in parts.quoted


def test_answers_right_under_the_questions() -> None:
    text = (
        "Le 2026-02-11 à 08:40, Noé Martin a écrit :\n> Tu viens jeudi ?\nOui, vers 10 h.\n"
        "> Avec la voiture ?\nNon, en train.\n"
    )

    assert split_text(text).visible == (
        "> Tu viens jeudi ?\nOui, vers 10 h.\n> Avec la voiture ?\nNon, en train."
    )


def test_lowercase_answer_right_under_a_question() -> None:
    text = (
        "Am 04.03.26 um 11:02 schrieb Kim Park:\n> Kommst du morgen?\nja, gegen zehn.\n"
        "> Mit dem Auto?\nnein, mit der Bahn.\n"
    )

    assert split_text(text).visible.split("\n") == [
        "> Kommst du morgen?",
        "ja, gegen zehn.",
        "> Mit dem Auto?",
        "nein, mit der Bahn.",
    ]


def test_bottom_post_still_drops_the_whole_quote() -> None:
    text = f"On 4 Mar 2026, at 11:02, Kim Park <kim@example.org> wrote:\n{QUOTE}\nMonday is fine."

    parts = split_text(text)

    assert parts.visible == "Monday is fine."
    assert "review to Monday" in parts.quoted


def test_badly_wrapped_quote_line_is_still_quote() -> None:
    text = (
        "Noted.\n\nOn 4 Mar 2026, at 11:02, Kim Park <kim@example.org> wrote:\n"
        "> The supplier confirmed the shipment leaves the warehouse on the\nfourteenth.\n"
        "> Kim\n"
    )

    assert split_text(text).visible == "Noted."


@pytest.mark.parametrize(
    "sentence",
    [
        "On Friday at 09:30 I am free, call me then.",
        "Am Freitag um 9:30 passt es mir.",
        "В пятницу в 9:30 мне удобно.",
    ],
)
def test_a_time_in_the_reply_does_not_open_an_attribution(sentence: str) -> None:
    text = (
        f"Hi Kim,\n\n{sentence}\n\nMaria\n\n"
        f"4 Mar 2026, at 11:02, Kim Park <kim@example.org> wrote:\n\n{QUOTE}"
    )

    assert split_text(text).visible == f"Hi Kim,\n\n{sentence}\n\nMaria"


def test_field_like_lines_in_the_reply_are_no_header_block() -> None:
    reply = "Your stay:\n\nFrom: 3 May\nTo: 9 May\nRooms: 1\n\nSee you then,\nLea"
    text = f"{reply}\n\nOn 4 Mar 2026, at 11:02, Kim Park <kim@example.org> wrote:\n\n{QUOTE}"

    assert split_text(text).visible == reply


def test_a_citation_of_the_sender_survives_an_outlook_history() -> None:
    reply = (
        "Hello,\n\nclause 7.2 reads:\n\n> Payment is due in 30 days.\n\nSo we are on time.\n\nLea"
    )
    text = (
        f"{reply}\n\nFrom: Kim Park <kim@example.org>\nSent: Wednesday, March 4, 2026 11:02 AM\n"
        "To: Lea Roth <lea@example.org>\nSubject: Invoice\n\nWhy is it late?\n"
    )

    assert split_text(text).visible == reply


@pytest.mark.parametrize(
    "footer",
    [
        "Odesláno z mého iPhonu",
        "iPad'imden gönderildi",
        "Az iPhone-omról küldve",
        "Στάλθηκε από το iPad μου",
        "נשלח מה-iPad שלי",
        "أرسلت من iPhone الخاص بي",
        "Trimis de pe iPad-ul meu",
        "나의 iPad에서 보냄",
        "Von meinem Samsung Galaxy Smartphone gesendet.",
        "Enviado desde mi dispositivo Galaxy",
        "Sent from Mail for Windows",
        "Inviato da Posta per Windows",
        "Outlook für Android<https://aka.ms/ghei36> herunterladen",
        "Télécharger Outlook pour Android<https://aka.ms/ghei36>",
        "Hämta Outlook för Android",
        "Pobierz aplikację Outlook dla systemu Android",
        "Android 版 Outlook を入手",
        "iOS용 Outlook 받기",
    ],
)
def test_mobile_and_app_footers_in_many_languages(footer: str) -> None:
    parts = split_text(f"Works for me.\n\nIvo\n\n{footer}\n")

    assert parts.visible == "Works for me.\n\nIvo"
    assert parts.signature == footer


@pytest.mark.parametrize(
    "line",
    [
        "Sent the report to Samsung, see attached.",
        "I sent it from my iPhone yesterday.",
        "Outlook on Android keeps crashing for me.",
    ],
)
def test_sentences_naming_a_device_are_not_footers(line: str) -> None:
    text = f"Hello,\n\n{line}\n\nIvo"

    assert split_text(text).visible == text


OUTLOOK_BLOCKS = {
    "el": ("Από", "Αποστολή", "Προς", "Θέμα"),
    "he": ("מאת", "נשלח", "אל", "נושא"),
    "ar": ("من", "تم الإرسال", "إلى", "الموضوع"),
    "ro": ("De la", "Trimis", "Către", "Subiect"),
    "cs": ("Od", "Odesláno", "Komu", "Předmět"),
    "tr": ("Kimden", "Gönderildi", "Kime", "Konu"),
    "hu": ("Feladó", "Elküldve", "Címzett", "Tárgy"),
    "ko": ("보낸 사람", "보낸 날짜", "받는 사람", "제목"),
}


@pytest.mark.parametrize("lang", sorted(OUTLOOK_BLOCKS))
def test_localized_outlook_header_blocks(lang: str) -> None:
    sender, sent, to, subject = OUTLOOK_BLOCKS[lang]
    text = (
        f"OK.\n\nIvo\n\n{sender}: Kim Park <kim@example.org>\n{sent}: 4.3.2026 11:02\n"
        f"{to}: Ivo Dan <ivo@example.org>\n{subject}: RE: Plan\n\nOld text\n"
    )

    assert split_text(text).visible == "OK.\n\nIvo"


@pytest.mark.parametrize(
    "separator", ["-----Mesaj original-----", "---------- Původní e-mail ----------"]
)
def test_original_message_separators(separator: str) -> None:
    text = (
        f"OK.\n\n{separator}\nOd: Kim Park <kim@example.org>\nKomu: ivo@example.org\n"
        "Datum: 4. 3. 2026 11:02:17\nPředmět: Plán\nStarý text\n"
    )

    parts = split_text(text)

    assert parts.visible == "OK."
    assert separator in parts.quoted


@pytest.mark.parametrize(
    "attribution",
    [
        "\u202bבתאריך יום ד׳, 4 במרץ 2026 ב-11:02 מאת \u202aקים פארק\u202c\u200f\n"
        "<\u202akim@example.org\u202c\u200f>:\u202c",
        "\u202bفي الأربعاء، 4 مارس 2026 في 11:02 ص تمت كتابة ما يلي بواسطة \u202aكيم\u202c\u200f\n"
        "<\u202akim@example.org\u202c\u200f>:\u202c",
    ],
)
def test_gmail_attributions_with_bidi_marks(attribution: str) -> None:
    assert split_text(f"תודה\n\n{attribution}\n\n{QUOTE}").visible == "תודה"


def test_android_gmail_attribution_takes_the_wrapped_name_along() -> None:
    text = (
        "Passt.\n\nIvo\n\nKim Park-Lindqvist\n<kim.park-lindqvist@example.org> schrieb am "
        "Mi., 4.\nMärz 2026, 11:02:\n\n" + QUOTE
    )

    parts = split_text(text)

    assert parts.visible == "Passt.\n\nIvo"
    assert parts.quoted.startswith("Kim Park-Lindqvist")


def test_lotus_forwarded_by_line_opens_the_forward() -> None:
    text = (
        "FYI\n\nIvo\n\n----- Forwarded by Ivo Dan/DE/Acme on 04.03.2026 11:02 -----\n\n"
        "From:\tFacilities/DE/Acme\nTo:\tAll Staff DE\nDate:\t04.03.2026 10:00\n"
        "Subject:\tHeating\n\nThe heating is off on Friday.\n"
    )

    parts = split_text(text)

    assert parts.visible == "FYI\n\nIvo"
    assert parts.forwarded.startswith("----- Forwarded by")


def test_lotus_header_table() -> None:
    pad = " " * 12
    text = (
        "Done.\n\nIvo\n\n\n\n"
        f'{pad}"Kim Park"{" " * 40}\n{pad}<kim@example.org>{" " * 30}\n'
        f"{' ' * 70}To\n{pad}04/03/2026 11:02{' ' * 10}Ivo Dan\n{' ' * 65}Subject\n"
        f"{' ' * 38}Plan\n\n\nOld text\n"
    )

    assert split_text(text).visible == "Done.\n\nIvo"


def test_tab_separated_forward_header_in_french() -> None:
    text = (
        "-------- Message transféré --------\nSujet : \tFacture 2026-17\n"
        "Date : \tWed, 4 Mar 2026 11:02:49 +0100\nDe : \tBoutique <shop@example.fr>\n"
        "Pour : \tIvo Dan <ivo@example.org>\n\n\n\nVotre facture est disponible.\n"
    )

    parts = split_text(text)

    assert parts.visible == "Votre facture est disponible."
    assert "Sujet" in parts.forwarded


@pytest.mark.parametrize(
    ("sign_off", "block"),
    [
        ("Best regards,\nLea", "Lea Roth\nHead of Finance\nAcme GmbH\nM: +49 151 2345 6789"),
        ("Viele Grüße\nLea Roth", "Lea Roth\nLeitung Einkauf\nTel. 030 1234 5678\nacme.de"),
        ("Cordialement,\nLéa", "Léa Roth\nResponsable achats\nhttps://acme.example.fr"),
        ("宜しくお願いします。\n山田", "山田 太郎\n総務部\nTEL: 03-9876-5432"),
    ],
)
def test_contact_block_after_the_sign_off_is_signature(sign_off: str, block: str) -> None:
    parts = split_text(f"The figures are attached.\n\n{sign_off}\n\n{block}\n")

    assert parts.visible == f"The figures are attached.\n\n{sign_off}"
    assert parts.signature == block


def test_sign_off_without_closing_words_when_the_block_repeats_the_name() -> None:
    parts = split_text("ok.\n\nLea\n\nLea Roth\nHead of Finance\n+49 30 1234567")

    assert parts.visible == "ok.\n\nLea"
    assert parts.signature.startswith("Lea Roth")


def test_name_under_a_closing_alone_stays_visible() -> None:
    parts = split_text("ok.\n\nBest regards,\n\nLea Roth\nHead of Finance\n+49 30 1234567")

    assert parts.visible == "ok.\n\nBest regards,\n\nLea Roth"
    assert parts.signature == "Head of Finance\n+49 30 1234567"


def test_disclaimer_after_the_sign_off_is_signature() -> None:
    disclaimer = (
        "This email and any files transmitted with it are confidential and intended solely "
        "for the addressee."
    )
    parts = split_text(f"Agreed.\n\nThanks,\nLea\n\nLea Roth\n+49 30 1234567\n\n{disclaimer}")

    assert parts.visible == "Agreed.\n\nThanks,\nLea"
    assert parts.signature.endswith(disclaimer)


@pytest.mark.parametrize(
    "text",
    [
        "Please call the plumber:\n\nJoe's Plumbing\n+44 20 7946 0000\nwww.joes.example",
        "Thanks,\nLea\n\nP.S. my new number is +49 151 2345 6789",
        "Thanks,\nLea\n\nPS see www.example.org for the agenda",
        "Hi Kim,\n\nHere is the link\n\nDashboard\nhttps://grafana.example.org/d/7",
    ],
)
def test_contact_details_that_are_content_stay(text: str) -> None:
    assert split_text(text).visible == text


def test_rule_over_a_list_separates_sections() -> None:
    text = (
        "Notes from today.\n\n-----\n\nDecided:\n- ship on 2 June\n- keep the price\n\n"
        "Open:\n- venue\n\nThanks,\nLea"
    )

    parts = split_text(text)

    assert parts.visible == text
    assert parts.signature == ""


def test_rule_over_a_short_footer_is_still_a_signature() -> None:
    parts = split_text("Done.\n\n____\nLea Roth | Acme\n+49 30 1234567")

    assert parts.visible == "Done."
    assert parts.signature.startswith("____")


@pytest.mark.parametrize(
    "signature",
    [
        '<pre class="moz-signature" cols="72">-- \nLea Roth\nAcme GmbH</pre>',
        '<div class="moz-signature">-- <br>Lea Roth<br>Acme GmbH</div>',
        '<div id="Signature"><div>Lea Roth<br>Acme GmbH</div></div>',
        '<div class="gmail_signature">Lea Roth<br>Acme GmbH</div>',
    ],
)
def test_html_signature_marked_by_the_client(signature: str) -> None:
    html = f"<p>Agreed.</p><p>Thanks,<br>Lea</p>{signature}"

    parts = split_html(html)

    assert parts.visible == "Agreed.\n\nThanks,\nLea"
    assert "Acme GmbH" in parts.signature


def test_html_line_breaks_and_paragraphs() -> None:
    html = (
        '<p class="MsoNormal">One<o:p></o:p></p><p class="MsoNormal">Two</p>'
        '<p class="MsoNormal">&nbsp;</p><p class="MsoNormal">Three</p>'
        "<div>Four<br>Five</div><div><br></div><p>Six</p><p>Seven</p>"
    )

    assert split_html(html).visible == "One\nTwo\n\nThree\nFour\nFive\n\nSix\n\nSeven"


def test_html_gmail_inline_reply_inside_the_quote_container() -> None:
    html = (
        '<div dir="ltr">Hi Ann,</div><div class="gmail_quote"><div dir="ltr" '
        'class="gmail_attr">On Tue, Mar 3, 2026 at 8:05 AM Ann Lee &lt;ann@example.org&gt; '
        'wrote:<br></div><blockquote class="gmail_quote">Did the build pass?</blockquote>'
        '<div>Yes, green.</div><blockquote class="gmail_quote">Shall we release?</blockquote>'
        '<div>Tomorrow.</div><blockquote class="gmail_quote">Ann</blockquote></div>'
    )

    parts = split_html(html)

    assert parts.visible.split("\n\n") == [
        "Hi Ann,",
        "Did the build pass?",
        "Yes, green.",
        "Shall we release?",
        "Tomorrow.",
    ]
    assert "wrote:" in parts.quoted


def test_html_apple_inline_reply_with_the_attribution_inside_the_quote() -> None:
    html = (
        '<div>See below.<br><blockquote type="cite"><div>On 3 Mar 2026, at 08:05, Ann Lee '
        "&lt;ann@example.org&gt; wrote:</div><br><div>Did the build pass?</div></blockquote>"
        'Yes, green.<br><blockquote type="cite"><div>Shall we release?</div></blockquote>'
        "Tomorrow.</div>"
    )

    parts = split_html(html)

    assert "wrote:" not in parts.visible
    assert [x for x in parts.visible.split("\n") if x] == [
        "See below.",
        "Did the build pass?",
        "Yes, green.",
        "Shall we release?",
        "Tomorrow.",
    ]


def test_many_blank_separated_lead_lines_stay_fast() -> None:
    # Each lead line reaches across blank lines to lines that nearly make attributions.
    text = "\n\n".join(
        f"On {n} May at 10:{n % 60:02d} it rained\n\nOn {n} May 2026, Kim <k@example.org> said"
        "\n\n<x@example.org>"
        for n in range(1000)
    )

    started = time.perf_counter()
    split_text(text)

    assert time.perf_counter() - started < 0.3


@pytest.mark.parametrize(
    ("sign_off", "details"),
    [
        ("Cheers,\nMorgan Hale", "Studio Manager | Pinecrest Audio"),
        ("Cheers,\nMorgan Hale", "+44 20 7946 0321"),
        ("Liebe Grüße\nPaula Brandt", "Einkauf\nBrandt Metallbau GmbH\nTel. 089 1234567"),
        ("Hälsningar\nOla", "ola@fjordtrade.se"),
        ("Grüße\nTim", "Teamleiter Vertrieb\nKrämer Antriebe GmbH"),
        ("Mvh Ingrid Solberg", "Rådgiver | Fjellvik AS | +47 22 33 44 55"),
        ("Saludos cordiales,\nLucía Pardo", "Tel. +34 91 555 12 34"),
    ],
)
def test_contact_lines_attached_under_the_name_are_signature(sign_off: str, details: str) -> None:
    parts = split_text(f"The draft is in the folder.\n\n{sign_off}\n{details}\n")

    assert parts.visible == f"The draft is in the folder.\n\n{sign_off}"
    assert parts.signature == details


def test_registration_and_disclaimer_under_attached_details_are_signature() -> None:
    disclaimer = (
        "Denne e-post er konfidensiell og kun ment for mottakeren. Har du mottatt den ved "
        "en feil, gi beskjed til avsender og slett den."
    )
    body = (
        "Vi leverer fredag.\n\nMed vennlig hilsen\nTrond Aas\nLager | Fjordfrakt AS\n"
        f"Org.nr. 912 345 678\n\n{disclaimer}\n"
    )
    parts = split_text(body)

    assert parts.visible == "Vi leverer fredag.\n\nMed vennlig hilsen\nTrond Aas"
    assert parts.signature.endswith(disclaimer)


def test_postscript_under_the_details_stays_visible() -> None:
    body = (
        "See you then.\n\nBest,\nRiya\nRiya Shah | Events\n+1 415 555 0117\n\nP.S. Bring a jacket."
    )
    parts = split_text(body)

    assert parts.visible == "See you then.\n\nBest,\nRiya\n\nP.S. Bring a jacket."
    assert parts.signature == "Riya Shah | Events\n+1 415 555 0117"


@pytest.mark.parametrize(
    "after",
    [
        "Call me tomorrow if anything changes.",
        "I am out of the office until the 3rd of May, so ask Jo.",
    ],
)
def test_prose_under_the_name_is_the_message(after: str) -> None:
    body = f"Fine by me.\n\nThanks,\nNoor\n{after}"

    assert split_text(body).visible == body


def test_company_line_under_the_closing_is_no_name() -> None:
    parts = split_text("Noted.\n\nRegards,\n\nQuillfeather Ltd\nAccounts\n+44 161 555 0190")

    assert parts.visible == "Noted.\n\nRegards,"


def test_a_shell_prompt_in_the_senders_pre_keeps_its_marker() -> None:
    html = "<p>Output:</p><pre>$ make\n&gt; cc -o app main.c\n</pre><p>It builds now.</p>"

    assert "> cc -o app main.c" in split_html(html).visible


def test_hubspot_marks_its_signature() -> None:
    html = (
        "<div>Any news on the pilot?</div><div>Best,<br>Kim</div>"
        '<div class="hs_signature" data-hs-signature="true">Kim Ode | Sales, Brightloop</div>'
    )
    parts = split_html(html)

    assert "Brightloop" not in parts.visible
    assert "Brightloop" in parts.signature
