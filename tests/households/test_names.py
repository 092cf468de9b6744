"""A name as someone types it (accents, case, spaces aside) matches a person's usage or birth name."""

from datetime import date

from parcours.households.models import Person
from parcours.households.selectors import bears_name


def test_a_typed_name_matches_the_usage_or_the_birth_name_and_nothing_else():
    person = Person(
        first_names="Élodie", last_name="Martin-Léger", birth_name="Léger", birth_date=date(1990, 1, 1)
    )
    assert bears_name(person, "  MARTIN-LEGER ")
    assert bears_name(person, "leger")
    assert not bears_name(person, "Martin")
    assert not bears_name(person, "   ")
    assert not bears_name(Person(last_name="Durand", birth_name=""), "")
