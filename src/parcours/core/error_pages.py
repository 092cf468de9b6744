"""Django's handler400: the French 400 page, or the API's French JSON under /api/.

The page is rendered without the request (Django's own handler runs the context processors, which
read the session, the user and the database: the request is the faulty part here, a Host header
this site does not serve or a malformed cookie, and a processor failing in turn would make the 400
a 500). The 404 and 500 handlers are core/views.py's.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader

from parcours.core.api_errors import error_response

API_PREFIX = "/api/"
BAD_REQUEST_MESSAGE = "La requête est invalide."


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return error_response(400, BAD_REQUEST_MESSAGE)
    return HttpResponseBadRequest(loader.get_template("400.html").render())
