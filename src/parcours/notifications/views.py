"""The person's notifications page: how they want to be told, and what was sent to them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from parcours.core.forms import apply_errors

from . import selectors, services
from .forms import PreferenceForm
from .models import Channels


@login_required
def my_notifications(request):  # type: ignore[no-untyped-def]
    preference = selectors.preference_of(request.user)
    initial = {
        "channels": preference.channels if preference else Channels.EMAIL,
        "mobile_phone": preference.mobile_phone if preference else "",
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Vos préférences de contact sont enregistrées.")
            return redirect("notifications:mine")
    return render(
        request,
        "notifications/mine.html",
        {
            "form": form,
            "notifications": selectors.notifications_of(request.user),
            "email": request.user.email,
            "page_title": "Mes notifications",
        },
    )
