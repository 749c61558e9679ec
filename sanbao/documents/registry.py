"""The document registry: every paper the platform prints or exports, by name.

A document is registered once, by the app that owns its records, with its
renderer, the function that names its file and its media type. The pages (the
download views) and the API's download operations both answer from here, so one
document has one file name everywhere: ``<paper>-<record number>.<ext>``, e.g.
``packing-list-R2605-K7M2QX.pdf`` — the kind of paper first, so a folder of
downloads groups by paper.

This app sits below claims and returns and imports neither: each of them
registers its papers in its own ``documents`` module, which the registry
imports (``autodiscover_modules``, as the admin finds ``admin`` modules) the
first time a document is looked up.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from sanbao.core import lists


@dataclasses.dataclass(frozen=True)
class File:
    """One rendered document: what a download answers or an e-mail attaches."""

    content: bytes
    filename: str
    media_type: str

    def as_attachment(self) -> tuple[str, bytes, str]:
        """The (filename, content, mimetype) triple Django's e-mail takes."""
        return (self.filename, self.content, self.media_type)


@dataclasses.dataclass(frozen=True)
class Document:
    """A registered paper. ``render`` and ``filename`` take the same arguments
    (the record, and any option such as a label layout)."""

    name: str
    render: Callable[..., bytes]
    filename: Callable[..., str]
    media_type: str

    def file(self, *args: Any, **kwargs: Any) -> File:
        """Render the document; a refusal of the renderer (a ``DomainError``)
        propagates before any file is named. A paper is the platform's record:
        its times are in the platform's zone (``TIME_ZONE``), whoever prints it
        and whatever zone their pages show."""
        with timezone.override(timezone.get_default_timezone()):
            content = self.render(*args, **kwargs)
        return File(content, self.filename(*args, **kwargs), self.media_type)


_documents: dict[str, Document] = {}
_discovered = False
_lock = threading.Lock()


def register(
    name: str, *, render: Callable[..., bytes], filename: Callable[..., str], media_type: str
) -> Document:
    """Register a document under ``name`` (``<app>.<paper>``). A name is taken
    once: a second registration is a programming error, not an override."""
    if name in _documents:
        raise ValueError(f"The document {name!r} is already registered.")
    document = Document(name=name, render=render, filename=filename, media_type=media_type)
    _documents[name] = document
    return document


def numbered(name: str) -> Callable[[Any], str]:
    """The file-name function of the scheme: ``numbered("packing-list.pdf")`` names a
    record's file ``packing-list-<its number>.pdf``."""
    stem, dot, extension = name.rpartition(".")
    return lambda record: f"{stem}-{record.number}{dot}{extension}"


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if not _discovered:
            autodiscover_modules("documents")
            # The list pages' workbooks (core.lists), declared by the apps' documents modules.
            for export in lists.exports():
                if export.name not in _documents:
                    register(
                        export.name,
                        render=export.render,
                        filename=export.filename,
                        media_type=lists.XLSX,
                    )
            _discovered = True


def get(name: str) -> Document:
    """The document registered as ``name``; an unknown name is a ``KeyError``
    (a programming error: names are fixed in code, never taken from a request)."""
    if name not in _documents:
        _discover()
    return _documents[name]


def names() -> list[str]:
    """Every registered document's name, sorted."""
    _discover()
    return sorted(_documents)


def file(name: str, *args: Any, **kwargs: Any) -> File:
    """Render the document registered as ``name`` for the given record."""
    return get(name).file(*args, **kwargs)
