import time
from typing import Any
from tui.screens.user_form import UserFormScreen
from .conftest import settle, wait_until

async def test_probe(make_app: Any, login_as: Any) -> None:
    t=time.time()
    app = make_app(await login_as("admin"))
    print("login", time.time()-t)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        print("settled", time.time()-t)
        app.action_open_users()
        await wait_until(pilot, lambda: "Mostrando" in str(app.screen.query_one("#users-status").render()))
        print("list", time.time()-t)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, UserFormScreen))
        print("form", time.time()-t)
    print("exit", time.time()-t)
