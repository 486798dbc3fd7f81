from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_learning(request):
    return render(request, "core/my_learning.html", {})


def server_error(request):
    return render(request, "500.html", status=500)
