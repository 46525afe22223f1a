"""Every way of writing a script address that a browser may still read as one."""

from __future__ import annotations


def _decimal(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def _hex(text: str) -> str:
    return "".join(f"&#x{ord(c):x};" for c in text)


# Every way of writing "javascript:" (and the other schemes that run or show
# content of the writer's choosing) that a browser may still read as the scheme.
DISGUISED = {
    "plain": "javascript:",
    "upper case": "JAVASCRIPT:",
    "mixed case": "JaVaScRiPt:",
    "decimal letter": "&#106;avascript:",
    "decimal letter, zero padded": "&#0000106;avascript:",
    "decimal letter, no semicolon": "&#106avascript:",
    "hex letter": "&#x6a;avascript:",
    "hex letter, upper case X": "&#X6A;avascript:",
    "hex letter, zero padded": "&#x000006A;avascript:",
    "hex letter, no semicolon": "javascri&#x70t:",
    "every character decimal": _decimal("javascript:"),
    "every character hex": _hex("javascript:"),
    "every character decimal, no semicolons": "".join(f"&#{ord(c)}" for c in "javascript:"),
    "named colon": "javascript&colon;",
    "decimal colon": "javascript&#58;",
    "decimal colon, no semicolon": "javascript&#58",
    "hex colon": "javascript&#x3A;",
    "named tab": "java&Tab;script:",
    "decimal tab": "java&#9;script:",
    "hex tab": "java&#x09;script:",
    "named newline": "java&NewLine;script:",
    "decimal newline": "java&#10;script:",
    "decimal carriage return": "java&#13;script:",
    "tab": "java\tscript:",
    "tabs and case": "J\tA\tV\tA\tS\tC\tR\tI\tP\tT:",
    "leading control character": "\x01javascript:",
    "leading escape character": "\x1bjavascript:",
    "vertical tab inside": "java\x0bscript:",
    "form feed inside": "java\x0cscript:",
    "delete inside": "java\x7fscript:",
    "leading control as a reference": "&#1;javascript:",
    "leading form feed as a reference": "&#x0C;javascript:",
    "leading space as a reference": "&#32;javascript:",
    "leading spaces": "   javascript:",
    "zero-width space inside": "java\u200bscript:",
    "everything at once": "&#x4A;AVA&Tab;SC&#82;IPT&colon;",
    "double encoded": "&amp;#106;avascript:",
    "vbscript": "vbscript:",
    "vbscript, named colon": "VBScript&colon;",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==#",
    "data, decimal letter": "&#100;ata:text/html,",
    "file": "file:///etc/passwd#",
    "file, hex colon": "FILE&#x3a;//",
    "livescript": "livescript:",
}
