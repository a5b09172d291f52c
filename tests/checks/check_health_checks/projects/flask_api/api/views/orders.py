from flask import Blueprint

orders = Blueprint("orders", __name__, url_prefix="/orders")


@orders.route("/")
def index() -> str:
    return "[]"


@orders.route("/<int:order_id>")
def show(order_id: int) -> str:
    return str(order_id)
