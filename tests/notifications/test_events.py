"""The catalogue of what parcours tells people: plain, French, and nothing private in an SMS."""

import pytest

from parcours.notifications.events import EVENTS, GSM_03_38, SMS_MAX, _event


@pytest.mark.parametrize("event", EVENTS.values(), ids=list(EVENTS))
def test_every_sms_is_one_plain_gsm_message_and_every_email_links_to_the_space(event):
    assert len(event.sms) <= SMS_MAX and set(event.sms) <= GSM_03_38
    assert event.sms.startswith("Caf : ") and "espace parcours" in event.sms
    assert "lien" in event.fields  # every e-mail sends the person to their space
    body = event.email_body(dict.fromkeys(event.fields, "X"))
    assert body.startswith("Bonjour,") and "Votre Caf" in body and "{" not in body


def test_an_email_takes_exactly_its_fields():
    event = EVENTS["paiement_programme"]
    with pytest.raises(ValueError, match="fields"):
        event.email_body({"lien": "x"})
    with pytest.raises(ValueError, match="fields"):
        event.email_body(dict.fromkeys(event.fields, "x") | {"adresse": "3 rue des Acacias"})


@pytest.mark.parametrize("sms", ["Caf : {montant} versés", "Caf : " + "x" * 160, "Caf : votre reçu"])
def test_an_sms_with_a_field_too_long_or_outside_the_gsm_alphabet_is_refused(sms):
    with pytest.raises(ValueError, match="GSM"):
        _event("essai", "Essai", "Essai", "{lien}", sms)
