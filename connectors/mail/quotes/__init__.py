from dataclasses import dataclass
from selectolax.lexbor import LexborHTMLParser
from connectors.mail.quotes._old import split_reply

@dataclass(frozen=True)
class ReplySplit:
    visible: str
    quoted: str = ""
    signature: str = ""
    forwarded: str = ""

def split_text(text: str) -> ReplySplit:
    v, q = split_reply(text)
    return ReplySplit(v, q)

def split_html(html: str) -> ReplySplit:
    body = LexborHTMLParser(html).body
    return split_text("" if body is None else body.text(separator="\n"))
