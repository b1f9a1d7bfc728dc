"""Sources for reference managers: BibTeX and CSL-JSON.

The catalogue keeps a source's authors as one free-text string in Vancouver style
("Juch JNS, Maas ET, et al.; INTRACEPT Trial Investigators"). It is split into
personal names only where every part reads as "Family INITIALS"; anything else (a
study group, a committee) is kept whole, as an institutional name, so that no name is
invented or cut in two. "et al." becomes BibTeX's "and others"; CSL has no such marker,
so the CSL record lists the authors the catalogue names.

Our `publisher` field holds the journal for articles, so journal articles use it as
the journal (BibTeX `journal`, CSL `container-title`) and other kinds as the publisher.
Keys and ids are the catalogue's source ids: stable, unique and already BibTeX-safe.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from painopts.models import Source, SourceKind


@dataclass(frozen=True, slots=True)
class Name:
    family: str | None = None
    given: str | None = None  # initials, dotted: "J. N. S."
    suffix: str | None = None
    literal: str | None = None  # a group or institution, kept whole


@dataclass(frozen=True, slots=True)
class People:
    authors: tuple[Name, ...]
    editors: tuple[Name, ...]
    more: bool  # the list ends "et al."


_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
_EDITOR_MARK = re.compile(r"\s*\((?:editor|editors|ed|eds)\.?\)$", re.IGNORECASE)
_EDITOR_LEAD = re.compile(r"^(?:chief\s+)?editors?:\s*", re.IGNORECASE)
_ET_AL = frozenset({"et al", "et al."})


def _person(part: str) -> Name | None:
    """ "Crockarell JR Jr" as a name, or None when *part* is not "Family INITIALS"."""
    words = part.split()
    suffix = words.pop() if len(words) > 2 and words[-1] in _SUFFIXES else None
    if len(words) < 2:
        return None
    initials = words[-1]
    family = " ".join(words[:-1])
    if not (len(initials) <= 4 and initials.isalpha() and initials.isupper()):
        return None
    if not family[:1].isalpha() or any(ch.isdigit() for ch in family):
        return None
    return Name(family, ". ".join(initials) + ".", suffix)


def parse_people(text: str | None) -> People:
    """The authors and editors named in a free-text author string."""
    if not text:
        return People((), (), False)
    authors: list[Name] = []
    editors: list[Name] = []
    more = False
    for group in (g.strip() for g in text.split(";")):
        if not group:
            continue
        whole_group_edits = bool(_EDITOR_LEAD.match(group))
        group = _EDITOR_LEAD.sub("", group)
        parts = [p.strip() for p in group.split(",") if p.strip()]
        people: list[tuple[Name, bool]] = []
        readable = True
        for part in parts:
            if part.casefold() in _ET_AL:
                more = True
                continue
            edits = whole_group_edits or bool(_EDITOR_MARK.search(part))
            part = _EDITOR_MARK.sub("", part)
            person = _person(part)
            if person is None:
                readable = False
                break
            people.append((person, edits))
        if not readable:
            # Not a list of "Family INITIALS": a group name, kept whole.
            name = _EDITOR_MARK.sub("", group.removesuffix(", et al.").strip())
            (editors if whole_group_edits else authors).append(Name(literal=name))
            continue
        for person, edits in people:
            (editors if edits else authors).append(person)
    return People(tuple(authors), tuple(editors), more)


def doi(url: str) -> str | None:
    """The DOI of a doi.org link, else None."""
    parts = urlsplit(url)
    if parts.hostname not in ("doi.org", "dx.doi.org", "www.doi.org"):
        return None
    found = unquote(parts.path).lstrip("/")
    return found if found.startswith("10.") else None


def pmid(url: str) -> str | None:
    m = re.fullmatch(r"https?://pubmed\.ncbi\.nlm\.nih\.gov/(\d+)/?", url)
    return m[1] if m else None


def pmcid(url: str) -> str | None:
    m = re.fullmatch(r"https?://(?:www\.ncbi\.nlm\.nih\.gov/|pmc\.ncbi\.nlm\.nih\.gov/)"
                     r"(?:pmc/)?articles/(PMC\d+)/?", url)  # fmt: skip
    return m[1] if m else None


_ARTICLE_KINDS = frozenset(
    {SourceKind.TRIAL, SourceKind.SYSTEMATIC_REVIEW, SourceKind.REVIEW, SourceKind.OBSERVATIONAL}
)


def is_journal_article(s: Source) -> bool:
    """A study or review we can tie to a journal record (a DOI, PubMed or PMC link);
    a review on a publisher's site (StatPearls, a magazine) is not one."""
    return s.kind in _ARTICLE_KINDS and bool(doi(s.url) or pmid(s.url) or pmcid(s.url))


# --- BibTeX ---------------------------------------------------------------------------

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_RE = re.compile("|".join(re.escape(c) for c in _TEX_SPECIAL))


def tex(text: str) -> str:
    """*text* with TeX's special characters escaped, so that braces always balance.
    Other characters stay as UTF-8 (biber and BibTeX 0.99d+ with inputenc read it)."""
    return _TEX_RE.sub(lambda m: _TEX_SPECIAL[m.group()], " ".join(text.split()))


def _tex_url(url: str) -> str:
    # The url field is read verbatim: only characters that would unbalance the entry
    # or end it are percent-encoded.
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def _bib_names(names: Iterable[Name], more: bool) -> str:
    out = []
    for n in names:
        if n.literal is not None:
            out.append("{" + tex(n.literal) + "}")  # braces: one name, not "Last, First"
        else:
            suffix = f", {tex(n.suffix)}" if n.suffix else ""
            out.append(f"{tex(n.family or '')}{suffix}, {tex(n.given or '')}")
    if more:
        out.append("others")
    return " and ".join(out)


def bibtex_entry(s: Source) -> str:
    people = parse_people(s.authors)
    fields: list[tuple[str, str]] = []
    if people.authors:
        fields.append(("author", _bib_names(people.authors, people.more)))
    if people.editors:
        fields.append(("editor", _bib_names(people.editors, people.more and not people.authors)))
    # Double braces keep the title's capitals (NICE, SCS) in styles that lower-case.
    fields.append(("title", "{" + tex(s.title) + "}"))
    if is_journal_article(s):
        kind = "article"
        fields.append(("journal", tex(s.publisher)))
    elif s.kind is SourceKind.GUIDELINE:
        kind = "techreport"
        fields += [("institution", tex(s.publisher)), ("type", "Guideline")]
    else:
        kind = "misc"
        fields.append(("publisher", tex(s.publisher)))
    fields.append(("year", str(s.year)))
    found = doi(s.url)
    if found:
        fields.append(("doi", _tex_url(found)))
    fields.append(("url", _tex_url(s.url)))
    if s.checked is not None:
        fields.append(("urldate", s.checked.date))
    if s.note:
        fields.append(("note", tex(s.note)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{s.id},\n{body}}}\n"


def bibtex(sources: Iterable[Source]) -> str:
    return "\n".join(bibtex_entry(s) for s in sources)


# --- CSL-JSON -------------------------------------------------------------------------


def _csl_names(names: Iterable[Name]) -> list[dict[str, str]]:
    out = []
    for n in names:
        if n.literal is not None:
            out.append({"literal": n.literal})
        else:
            name = {"family": n.family or "", "given": n.given or ""}
            if n.suffix:
                name["suffix"] = n.suffix
            out.append(name)
    return out


def _csl_type(s: Source) -> str:
    if is_journal_article(s):
        return "article-journal"
    return {
        SourceKind.GUIDELINE: "report",
        SourceKind.PATIENT_INFORMATION: "webpage",
    }.get(s.kind, "document")


def csl_item(s: Source) -> dict[str, Any]:
    """One source as a CSL-JSON item (the CSL 1.0 input schema's names and shapes)."""
    people = parse_people(s.authors)
    item: dict[str, Any] = {"id": s.id, "type": _csl_type(s), "title": s.title}
    if people.authors:
        item["author"] = _csl_names(people.authors)
    if people.editors:
        item["editor"] = _csl_names(people.editors)
    item["issued"] = {"date-parts": [[s.year]]}
    if item["type"] == "article-journal":
        item["container-title"] = s.publisher
    else:
        item["publisher"] = s.publisher
    if s.kind is SourceKind.GUIDELINE:
        item["genre"] = "Guideline"
    item["URL"] = s.url
    for key, value in (("DOI", doi(s.url)), ("PMID", pmid(s.url)), ("PMCID", pmcid(s.url))):
        if value:
            item[key] = value
    if s.checked is not None:
        item["accessed"] = {"date-parts": [[int(p) for p in s.checked.date.split("-")]]}
    if s.note:
        item["note"] = s.note
    return item


def csl_json(sources: Iterable[Source]) -> str:
    return json.dumps([csl_item(s) for s in sources], indent=2, ensure_ascii=False) + "\n"
