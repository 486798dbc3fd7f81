from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render


@login_required
def my_learning(request):
    from courses.selectors import my_learning as my_learning_select

    return render(request, "core/my_learning.html", my_learning_select(user=request.user))


def server_error(request):
    return render(request, "500.html", status=500)


def not_found(request, *args, **kwargs):
    """An address that names nothing the platform holds (a malformed id in an admin URL)."""
    raise Http404
