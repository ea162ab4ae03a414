import time
from typing import Any
from .conftest import settle

async def test_startup_cost(make_app: Any, login_as: Any) -> None:
    s = await login_as("carlos")
    for i in range(4):
        t0 = time.perf_counter()
        app = make_app(s)
        async with app.run_test(size=(100, 30)) as pilot:
            t1 = time.perf_counter()
            await settle(pilot)
            t2 = time.perf_counter()
        t3 = time.perf_counter()
        print(f"\nenter {t1-t0:.2f} settle {t2-t1:.2f} exit {t3-t2:.2f}")
