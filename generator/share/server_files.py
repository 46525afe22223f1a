"""Files a web server does not simply serve, which a published site never brings.

A built site is pages, styles, scripts a browser runs, pictures and
downloads. A file of the site that the server reads as its own settings, or
runs as code on the server, would let whoever can change the site (a pull
request adding ``docs/web.config``) change who may read it, or run code on
the server: so ``qa-site deploy`` refuses a site that holds one.
"""

from __future__ import annotations

from generator.core.portable_names import folded

# IIS reads a folder's settings, who may read it among them, from this file in any
# folder of a site; the served folder's own is kept from one deploy to the next.
SETTINGS = "web.config"

# Files IIS, Apache or nginx (with PHP, CGI, server-side includes) may run rather
# than serve. Apache runs a handler's type in any of a name's extensions
# (report.php.html), so each of them is looked at.
CODE_TYPES = frozenset(
    {
        # ASP and ASP.NET (IIS)
        "asa", "asax", "ascx", "ashx", "asmx", "asp", "aspx", "axd", "cdx", "cer",
        "cshtml", "master", "rem", "soap", "svc", "vbhtml",
        # PHP
        "php", "php3", "php4", "php5", "php7", "php8", "phar", "phtml",
        # CGI, Perl, Java server pages, server-side includes
        "cgi", "pl", "jsp", "jspx", "shtm", "shtml", "stm",
        # programs and libraries a server loads (ASP.NET's bin, ISAPI, CGI)
        "dll", "exe",
    }
)  # fmt: skip

# ASP.NET compiles and runs the source code in a folder of this name.
_CODE_FOLDER = "app_code"


def server_file_refusal(parts: tuple[str, ...]) -> str | None:
    """Why a file of the site at ``parts`` may not be published to a web server; None
    when it may. Names are compared as Windows compares them (any case)."""
    for part in parts:
        if folded(part) == SETTINGS:
            return (
                f"'{part}' holds a web server's settings (IIS reads who may read a folder "
                f"from its {SETTINGS}), which a site never brings; the served folder's own "
                f"{SETTINGS} is kept"
            )
    for part in parts[:-1]:
        if folded(part) == _CODE_FOLDER:
            return f"is inside '{part}', whose code ASP.NET compiles and runs on the server"
    name = parts[-1]
    code = [extension for extension in name.split(".")[1:] if folded(extension) in CODE_TYPES]
    if code:
        return (
            f"is a .{code[0]} file, which a web server may run as code on the server "
            "rather than serve; a built site holds none"
        )
    return None
