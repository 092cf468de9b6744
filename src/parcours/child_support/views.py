"""Simuler une pension alimentaire: open to everyone, nothing is stored."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from parcours.child_support.forms import SimulationForm
from parcours.child_support.parameters import simulation_period
from parcours.child_support.simulation import comparison, explanation, simulate


@require_http_methods(["GET", "POST"])
def simulate_page(request: HttpRequest) -> HttpResponse:
    """Simuler une pension alimentaire: open to everyone, nothing is stored."""
    first, last = simulation_period()
    today = timezone.localdate()
    form = SimulationForm(request.POST or None, initial={"on": min(max(today, first), last)})
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = simulate(
            income=data["income"], children=data["children"], custody=data["custody"], on=data["on"]
        )
    return render(
        request,
        "child_support/simulate.html",
        {
            "form": form,
            "result": result,
            "steps": explanation(result) if result else None,
            "comparison": comparison(result) if result else None,
            "first_day": first,
            "last_day": last,
            "page_title": "Simuler une pension alimentaire",
        },
    )
