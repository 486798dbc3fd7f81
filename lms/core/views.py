from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_learning(request):
    from courses.selectors import my_learning as my_learning_select

    return render(request, "core/my_learning.html", my_learning_select(user=request.user))


def server_error(request):
    return render(request, "500.html", status=500)
