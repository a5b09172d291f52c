from django.urls import include, path

from shop import views

health_patterns = [
    path("live/", views.health),
    path("ready/", views.health),
]

urlpatterns = [
    path("health/", views.health),
    path("probes/", include(health_patterns)),
]
