"""Set quoted history, forwards and signatures apart from the new text of a reply.

split_text(text) and split_html(html) return a ReplySplit (text in every field);
split_reply(text) -> (visible, set_aside) stays for the pipeline's current call.

Signature policy: `visible` excludes the signature, `signature` keeps it. A signature is
(1) everything after a "-- " / "--" delimiter line, (2) a short tail (<= 12 lines, no
list) after a rule line ("____", "-----", "=====", the "━━━━" and full-width rules that
frame Japanese signatures), (3) a mobile or client footer line ("Sent from my iPhone", "Get
Outlook for iOS", "Von meinem iPhone gesendet", "Odesláno z iPhonu", "Outlook für iOS
beziehen", "iPhoneから送信", "发自我的iPhone", "나의 iPhone에서 보냄", "发自网易邮箱大师",
...) and everything after it, (4) a lone "-Name" dash sign-off on the last line, (5)
what follows the sender's sign-off and reads as contact details: the sign-off is a
closing ("Best,", "Kind regards,", "Viele Grüße", "よろしくお願いいたします") and the name
on its line or under it (or a name that the block below repeats: "Chris" over "Chris
Whitfield"), and both stay visible; after the name, job title, company, phone, fax or
mobile numbers, mail, web and social links, postal address ("〒" postcode), pronouns,
company registration lines ("Amtsgericht Stuttgart HRB ...", "KvK ...", "Org.nr. ...",
"Y-tunnus ...", "NIP/KRS ...", "SIRET ...") and disclaimers are the signature, attached
under the name (no blank line) or in paragraphs of their own, and even as a single line
(only a phone number, or "Title | Company"). A line under a closing that names a company
("Acme Ltd") is no name: the block goes whole. Prose after a name is the message, and a
P.S. under the details stays visible. A disclaimer is told by its label ("LEGAL
NOTICE:", "AVISO LEGAL:"), its opening words, or by a paragraph that speaks of the
message and of confidentiality or its recipient in any of the languages we know; under
contact details, up to two paragraphs in words we do not know go with them too. (6) in
HTML, the block the client marks as the signature (div.gmail_signature, .moz-signature,
Outlook on the web's div#Signature, HubSpot's div.hs_signature). A ">" opening a line of
a <pre> the sender wrote (outside a quote container) is theirs, not a quote marker.
Quoted lines that an answer follows stay visible: in an inline reply, where answers
and quotes alternate, every answered block does (only the attribution above goes), and
so does a quote the sender cites under their own text before the quoted history starts
(HTML: a Gmail composer "Quote", a blockquote.gmail_quote outside Gmail's reply
container). A single quoted block under its attribution with the whole answer below it
(bottom posting), quotes nobody answers (including those only a signature or list
footer follows), attributions and header blocks (Outlook, Lotus Notes) go to `quoted`;
a forward goes, with its metadata block, to `forwarded` (a bare forward's own text
becomes `visible`).
A header block names a sender or a date with an address among its fields, or has three
fields with a sent date that carries a time of day: the sender's own "From: Amsterdam
Centraal / To: Utrecht Centraal / Date: Saturday, March 14" is a journey, not history.
Outlook writes the same header block (or "-----Original Message-----") for a reply and
a forward; one with nothing of the sender's above it (a rule, blank lines, in HTML the
client's separator alone) is a forward, since nobody replies with nothing. For the same
reason an attribution with nothing above it over unquoted text sets only itself aside.
"""

from __future__ import annotations

from connectors.mail.quotes.html import split_html
from connectors.mail.quotes.result import ReplySplit
from connectors.mail.quotes.text import split_text


def split_reply(text: str) -> tuple[str, str]:
    """Return (visible, set aside): the new content, and quotes, signature and forward."""
    parts = split_text(text)
    rest = "\n\n".join(x for x in (parts.signature, parts.quoted, parts.forwarded) if x)
    return parts.visible.strip(), rest.strip()


__all__ = ["ReplySplit", "split_html", "split_reply", "split_text"]
