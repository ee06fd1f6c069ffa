"""Programs are named in plain words, in English and Spanish, never by their ids."""

from __future__ import annotations

from calaim.ops.policy import shipped_policy
from calaim.web.program_names import is_program_id, program_name


def test_every_shipped_program_has_a_plain_english_and_spanish_name() -> None:
    for program_id in shipped_policy().programs:
        assert is_program_id(program_id), f"{program_id} has no plain name"
        english, spanish = program_name(program_id, "en"), program_name(program_id, "es")
        assert english, program_id
        assert spanish != english, program_id
        assert "." not in english, english
        assert "_" not in english, english


def test_an_unknown_language_falls_back_to_english() -> None:
    assert program_name("cs.medically_tailored_meals", "ko") == "Medically tailored meals"
    assert (
        program_name("cs.medically_tailored_meals", "es") == "Comidas adaptadas por razones médicas"
    )


def test_the_label_filter_names_programs_in_the_page_language() -> None:
    from calaim.web.templating import environment

    template = environment().from_string("{{ p | label }}|{{ s | label }}")
    assert template.render(p="ecm.smh_sud", s="plan_care_coordination", language="es") == (
        "ECM: necesidades graves de salud mental o de uso de sustancias|plan care coordination"
    )
