from flask import Flask

from api.views.health import health
from api.views.orders import orders


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(health)
    app.register_blueprint(orders, url_prefix="/api/v2/orders")
    return app
