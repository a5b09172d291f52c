from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from shop import views
from shop.api import urls as api_urls

urlpatterns = [
    path("", views.home),
    path("accounts/login/", views.login),
    path("api/v1/", include(api_urls)),
    re_path(r"^orders/(?P<pk>[0-9]+)/$", views.order),
]

urlpatterns += i18n_patterns(
    path("products/<slug:slug>/", views.product),
    path("about/", views.home),
)
