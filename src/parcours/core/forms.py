"""What the forms of several apps share: DSFR styling of fields added at run time, the fields of a
bank account."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from dsfr.utils import dsfr_input_class_attr


def styled(form: forms.Form) -> None:
    """The DSFR classes on fields added after DsfrBaseForm.__init__ (it styles declared ones)."""
    for visible in form.visible_fields():
        dsfr_input_class_attr(visible)


class BankFieldsMixin:
    """The two accounts of an intermediation: the debtor's (debits or identification of transfers)
    and the creditor's (payouts). The IBAN is checked by the service (schwifty)."""

    @staticmethod
    def bank_fields(side: str, account: str, *, required: bool) -> dict[str, forms.Field]:
        """`account` names the account: "du compte de l'autre parent", "de votre compte"."""
        return {
            f"{side}_name": forms.CharField(
                label=f"Titulaire {account}",
                max_length=140,
                required=required,
                error_messages={"required": f"Indiquez le titulaire {account}."},
            ),
            f"{side}_iban": forms.CharField(
                label=f"IBAN {account}",
                help_text="Par exemple FR76 3000 6000 0112 3456 7890 189.",
                max_length=42,
                required=required,
                error_messages={"required": f"Indiquez l'IBAN {account}."},
            ),
            f"{side}_bic": forms.CharField(
                label=f"BIC {account} (facultatif)", max_length=11, required=False
            ),
        }


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: each message on its field, or on the whole form."""
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
