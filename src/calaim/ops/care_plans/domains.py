"""The ECM comprehensive assessment's domains and need levels, read from policy data.

`policy/reference/ecm_assessment_domains.yaml` holds them (with their confidence), so a plan
that assesses other domains changes data, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from calaim.engine.loading.policy import default_policy_dir

DOMAINS_FILE = "reference/ecm_assessment_domains.yaml"


@dataclass(frozen=True)
class AssessmentDomain:
    """One domain of the assessment: its key, the label and prompt staff see, how sure we are."""

    id: str
    label: str
    prompt: str
    confidence: str
    part2_sensitive: bool = False
    # language code -> {"label": ..., "prompt": ...}
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def label_in(self, language: str) -> str:
        """The label in `language` (English when no translation is kept)."""
        return _translated(self.translations, language, "label", self.label)

    def prompt_in(self, language: str) -> str:
        """The prompt in `language` (English when no translation is kept)."""
        return _translated(self.translations, language, "prompt", self.prompt)


@dataclass(frozen=True)
class NeedLevel:
    """What a care manager records per domain (no need, need, urgent, not assessed)."""

    id: str
    label: str
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def label_in(self, language: str) -> str:
        """The label in `language` (English when no translation is kept)."""
        return _translated(self.translations, language, "label", self.label)


def _translated(
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
    language: str,
    key: str,
    english: str,
) -> str:
    return dict(dict(translations).get(language, ())).get(key, english)


def _translations(item: dict[str, object]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    found = []
    for language, texts in item.items():
        if len(language) == 2 and isinstance(texts, dict):
            found.append((language, tuple((str(k), str(v)) for k, v in texts.items())))
    return tuple(found)


@cache
def _document() -> dict[str, list[dict[str, object]]]:
    path = default_policy_dir() / DOMAINS_FILE
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{path}: expected a mapping"
    return loaded


@cache
def assessment_domains() -> tuple[AssessmentDomain, ...]:
    """Every assessment domain, in file order."""
    return tuple(
        AssessmentDomain(
            id=str(item["id"]),
            label=str(item["label"]),
            prompt=str(item["prompt"]),
            confidence=str(item["confidence"]),
            part2_sensitive=bool(item.get("part2_sensitive", False)),
            translations=_translations(item),
        )
        for item in _document()["domains"]
    )


@cache
def need_levels() -> tuple[NeedLevel, ...]:
    """Every need level, in file order (the first is "not assessed yet")."""
    return tuple(
        NeedLevel(id=str(item["id"]), label=str(item["label"]), translations=_translations(item))
        for item in _document()["need_levels"]
    )


def domain_ids() -> frozenset[str]:
    """The known domain keys."""
    return frozenset(domain.id for domain in assessment_domains())


def need_ids() -> frozenset[str]:
    """The known need level keys."""
    return frozenset(level.id for level in need_levels())
