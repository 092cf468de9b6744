"""The other parent's answer to the invitation goes through the workflow (separation/lifecycle.py:
INVITATION): one logged move, append-only, by the parent who answered; a second answer is refused."""

import pytest
from django.core.exceptions import ValidationError

from parcours.core.append_only import AppendOnlyError
from parcours.core.transitions import history, replayed_state
from parcours.separation import services
from parcours.separation.models import InvitationTransition
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("confirm", "action", "state"), [(True, "confirmer", "confirmee"), (False, "contester", "contestee")]
)
def test_the_answer_is_one_logged_move_by_the_other_parent(confirm, action, state):
    invitation = InvitationFactory(answer=confirm)
    assert invitation.state == state
    assert history(InvitationTransition, invitation) == [(action, "en_attente", state)]
    entry = invitation.transitions.get()
    assert entry.by.person == invitation.person
    assert replayed_state(InvitationTransition, invitation) == state
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_a_second_answer_is_refused_and_logs_nothing():
    invitation = InvitationFactory(answer=True)
    with pytest.raises(ValidationError) as refused:
        services.invitation_answer(
            invitation=invitation, confirm=False, comment="finalement non", by=invitation.transitions.get().by
        )
    assert refused.value.message_dict["state"] == ["Vous avez déjà répondu."]
    assert invitation.transitions.count() == 1


def test_a_contest_needs_a_comment():
    invitation = InvitationFactory()
    with pytest.raises(ValidationError) as refused:
        services.invitation_answer(invitation=invitation, confirm=False, comment="  ", by=None)
    assert "comment" in refused.value.message_dict
    assert not invitation.transitions.exists()
