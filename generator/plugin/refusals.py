"""What the plugin refuses: a configuration that would break the site on the
intranet, and a page with an address that is unsafe or on another host."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.core.problems import excerpt
from generator.render.markup import is_remote
from generator.render.urls import asset_path

OFFLINE_SHIM = asset_path("iframe-worker-shim.js")


def refusals(config: MkDocsConfig) -> list[str]:
    """What in the configuration would silently break the site, and what to change.

    The intranet has no internet: a font or script from another host never
    loads there (and tells that host who reads the site). The generated pages
    are written for the Material theme's layout and styles.
    """
    refused = []
    theme = config.theme
    if theme.name != "material":
        refused.append(
            f"theme: the pages are made for Material for MkDocs; set `theme: name: material` "
            f"(found {theme.name!r})"
        )
    elif theme.get("font") is not False:
        refused.append(
            "theme.font: Material then loads its fonts from Google Fonts, which the intranet "
            "cannot reach; set `font: false` under `theme` (the system's fonts are used)"
        )
    for key in ("logo", "favicon"):
        if is_remote(str(theme.get(key) or "")):
            refused.append(
                f"theme.{key}: {theme.get(key)} is on another host; put the file in docs/"
            )
    for key in ("extra_css", "extra_javascript"):
        for entry in config[key]:
            if is_remote(str(entry)):
                refused.append(f"{key}: {entry} is on another host; put the file in docs/")
    for entry in config.extra.get("polyfills") or []:
        # Material's offline plugin names its search shim on unpkg.com: the site serves its own.
        if is_remote(str(entry)) and "iframe-worker" not in str(entry):
            refused.append(f"extra.polyfills: {entry} is on another host; put the file in docs/")
    analytics = config.extra.get("analytics")
    if isinstance(analytics, dict) and analytics.get("provider"):
        refused.append(
            f"extra.analytics: {analytics['provider']} loads its script from another host and "
            "sends who reads what there; take `analytics` out of `extra`"
        )
    return refused


def serve_offline_shim(config: MkDocsConfig) -> None:
    """Material's offline plugin (a site opened from files) asks unpkg.com for the
    shim that runs search there; the site serves its own copy instead. The plugin
    adds its own only where no polyfill names iframe-worker, whichever runs first."""
    polyfills = [
        entry for entry in config.extra.get("polyfills", []) if "iframe-worker" not in str(entry)
    ]
    offline = any(name.split("/")[-1] == "offline" for name in config.plugins)
    if offline or len(polyfills) != len(config.extra.get("polyfills", [])):
        polyfills.append(OFFLINE_SHIM)
    if polyfills or "polyfills" in config.extra:
        config.extra["polyfills"] = polyfills


def refuse_addresses(path: str, unsafe: list[str], remote: list[str]) -> None:
    """The last check of a page, hand-written ones too: an address that is not a
    web page, e-mail or the site itself stops the build, and so does anything
    fetched from another host as the page loads (the intranet has no internet)."""
    if unsafe:
        raise PluginError(
            f"qa-site: {path}: addresses that are not a web page, e-mail "
            "address or page of the site: " + "; ".join(excerpt(u) for u in unsafe[:5])
        )
    if remote:
        raise PluginError(
            f"qa-site: {path}: the page would fetch from another host as it "
            "loads, which the intranet cannot reach; put the file in docs/: "
            + "; ".join(excerpt(u) for u in remote[:5])
        )
