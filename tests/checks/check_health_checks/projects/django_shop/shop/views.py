from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect


def health(request):
    return JsonResponse({"status": "ok"})


def home(request):
    return redirect("/accounts/login/")


def login(request):
    return HttpResponse("login")


def product(request, slug):
    return HttpResponse(slug)


def order(request, pk):
    return HttpResponse(str(pk))
