"""S'informer (no sign-in needed) and the call-back request of a parent who feels unsafe."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .. import services
from ..forms import CallbackForm, QuestionnaireForm
from ..information import Answers, topics_for
from ..models import InfoTopic


def inform(request: HttpRequest) -> HttpResponse:
    """S'informer: four questions, then the démarches and services that fit (no sign-in needed)."""
    # Answered by POST only: nothing in the address or the history (a parent may be watched).
    form = QuestionnaireForm(request.POST or None)
    topics, answers = [], None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = Answers(
            data["union"], data["children"] == "oui", data["decision"] == "oui", data["unsafe"] == "oui"
        )
        topics = topics_for(InfoTopic.objects.all(), answers)
    response = render(
        request,
        "separation/inform.html",
        {
            "form": form,
            "topics": topics,
            "answers": answers,
            "callback_form": CallbackForm(),
            "page_title": "S'informer",
        },
    )
    # Never kept by the browser or a proxy: "back" after leaving does not show the answers.
    patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response


def callback(request: HttpRequest) -> HttpResponse:
    """Ask to be called back (the form is also on the "s'informer" page's unsafe path)."""
    form = CallbackForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request,
            "separation/callback.html",
            {"callback_form": form, "done": False, "page_title": "Être rappelé"},
        )
    services.callback_request(
        phone=form.cleaned_data["phone"], slot=form.cleaned_data["slot"], user=request.user
    )
    return render(request, "separation/callback.html", {"done": True, "page_title": "Être rappelé"})
