from fastapi import APIRouter

router = APIRouter()


@router.get("/")
def list_items() -> list[int]:
    return []


@router.get("/{item_id}")
def read_item(item_id: int) -> int:
    return item_id
