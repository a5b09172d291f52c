from flask import Blueprint

health = Blueprint("health", __name__, url_prefix="/_")


@health.route("/ping")
def ping() -> str:
    return "pong"


@health.get("/ready/")
def ready() -> str:
    return "ok"
