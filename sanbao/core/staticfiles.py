"""Static files for the production profile: WhiteNoise's compressed, hashed storage,
less the source-map references.

The vendored Bootstrap files end with a ``sourceMappingURL`` comment naming a
``.map`` file that is not vendored (nobody debugs Bootstrap here). Django's hashed
storage follows those comments and fails ``collectstatic`` on the missing file; this
storage leaves the comments as they are instead of editing vendored files.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _regex(rule) -> str:
    return rule[0] if isinstance(rule, tuple) else rule


def _without_source_maps(patterns):
    kept = []
    for glob, rules in patterns:
        rules = tuple(rule for rule in rules if "sourceMappingURL" not in _regex(rule))
        kept.append((glob, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
