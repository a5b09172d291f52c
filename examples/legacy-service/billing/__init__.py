"""Billing service: the Pyramid API (this package's main) beside the Django admin."""
__version__ = '3.9.1'

from pyramid.config import Configurator


def main(global_config, **settings):
    """Return the Pyramid WSGI application (paste.app_factory, see production.ini)."""
    with Configurator(settings=settings) as config:
        config.include('pyramid_tm')
        config.scan('billing.api')
        return config.make_wsgi_app()
