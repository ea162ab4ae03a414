"""Mi perfil: the service (own row only, validated, optimistic locking, audited) and the
screen (every role reaches it; errors at the field, typed text kept; leaving asks)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, Static

from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.home import HomeScreen
from tui.screens.common.profile import ProfileScreen
from tui.services import audit, users
from tui.services.common import Conflict
from tui.services.validation import ValidationFailed

from .conftest import settle, wait_until
from .test_snapshots import SIZES, session_for
from .test_svc_users import ADMIN, CARLOS, JUAN, MARIA, actor


async def test_profile_service_own_row_validated_locked_audited(pool: Any) -> None:
    carlos, maria, admin = (await actor(pool, CARLOS), await actor(pool, MARIA),
                            await actor(pool, ADMIN))
    before = await users.get_user(pool, carlos, carlos.id)
    maria_before = await users.get_user(pool, maria, maria.id)
    u = await users.update_own_profile(pool, carlos, "+57 310 555 1234", "Hojas de cálculo",
                                       expected_updated_at=before.updated_at)
    assert (u.telefono, u.especialidad) == ("+57 310 555 1234", "Hojas de cálculo")
    assert (u.role, u.email, u.cedula, u.centro_id, u.is_active) == (
        before.role, before.email, before.cedula, before.centro_id, before.is_active)
    # only the actor's own row changed
    assert await users.get_user(pool, maria, maria.id) == maria_before
    # a save based on the copy read before the change is refused, showing what is stored
    with pytest.raises(Conflict) as conflict:
        await users.update_own_profile(pool, carlos, "3000000000", "Otra",
                                       expected_updated_at=before.updated_at)
    assert conflict.value.current.especialidad == "Hojas de cálculo"
    assert (await users.get_user(pool, carlos, carlos.id)).especialidad == "Hojas de cálculo"
    # each bad field is named
    with pytest.raises(ValidationFailed) as bad:
        await users.update_own_profile(pool, carlos, "abc", "x" * 500,
                                       expected_updated_at=u.updated_at)
    fields = {e.field for e in bad.value.errors}
    assert fields == {"telefono", "especialidad"}
    # audited as the user's own edit, with the fields changed
    page = await audit.search(pool, admin, action="profile_update")
    own = [e for e in page.rows if e.target == carlos.id]
    assert own and own[0].detail == {"campos": ["especialidad", "telefono"]}


@pytest.mark.parametrize("who", ["carlos", "juan", "admin"])
async def test_every_role_reaches_profile_from_home_and_palette(
        make_app: Any, login_as: Any, who: str) -> None:
    app = make_app(await login_as(who))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await wait_until(pilot, lambda: app.screen.user is not None)
        info = str(app.screen.query_one("#profile-info", Static).render())
        assert app.actor.email in info
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        # the palette: "perfil" finds «Mi perfil»
        await pilot.press("ctrl+p")
        await settle(pilot)
        for ch in "mi perfil":
            await pilot.press(ch if ch != " " else "space")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)


async def test_profile_screen_saves_and_keeps_typed_text_on_errors(
        make_app: Any, login_as: Any, pool: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: app.screen.user is not None)
        screen = app.screen
        phone = screen.query_one("#profile-telefono", Input)
        esp = screen.query_one("#profile-especialidad", Input)
        assert phone.has_focus
        phone.value = "abc"
        esp.value = "Analítica de datos"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(screen.query_one("#profile-telefono-error", Static).render())
        assert error.startswith("Teléfono:")
        assert (phone.value, esp.value) == ("abc", "Analítica de datos")
        assert phone.has_focus
        # someone changes the account meanwhile: refused, the typed text stays
        carlos = await actor(pool, CARLOS)
        await users.update_own_profile(pool, carlos, None, "Cambiada en la web")
        phone.value = "310 000 1111"
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = str(screen.query_one("#profile-status", Static).render())
        assert "otra sesión" in status
        assert (phone.value, esp.value) == ("310 000 1111", "Analítica de datos")
        # a second Ctrl+S saves over the fresh copy
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = await users.get_user(pool, carlos, carlos.id)
        assert (stored.telefono, stored.especialidad) == ("310 000 1111", "Analítica de datos")
        assert "Perfil guardado" in str(screen.query_one("#profile-status", Static).render())


async def test_profile_escape_with_changes_asks(make_app: Any, login_as: Any,
                                                pool: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: app.screen.user is not None)
        await pilot.press(*"3209998877")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.query_one("#profile-telefono", Input).value.endswith("3209998877")
        await pilot.press("ctrl+t")  # the password dialog from the profile
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ChangePasswordScreen"
    juan = await actor(pool, JUAN)
    assert (await users.get_user(pool, juan, juan.id)).telefono != "3209998877"


@pytest.mark.parametrize("key", ["ctrl+q", "f3", "f12"])
async def test_every_way_out_of_an_edited_profile_asks(make_app: Any, login_as: Any,
                                                     key: str) -> None:
    """Ctrl+Q, F3 and F12 go through the app's leave guard, which asks the profile too."""
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: app.screen.user is not None)
        await pilot.press(*"3209998877")
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.query_one("#profile-telefono", Input).value.endswith("3209998877")


@pytest.mark.parametrize("size", SIZES)
def test_profile_snapshot(snap_compare: Any, make_app: Any, demo_url: str,
                          size: tuple[int, int]) -> None:
    app = make_app(session_for(demo_url, "carlos"))

    async def go(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: pilot.app.screen.user is not None)

    assert snap_compare(app, terminal_size=size, run_before=go)
