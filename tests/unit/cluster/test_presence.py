"""Who is connected on which instance: changes, heartbeats, expiry, start-up state."""

from __future__ import annotations

import json

from bot.cluster.bus import Bus
from bot.cluster.presence import EXPIRE_SECONDS, KEY_PREFIX, ClusterPresence
from tests.unit.cluster.support import FakeBus, MakeClient, StartBus, wait_until


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_change_shows_up_on_the_other_instance(start_bus: StartBus) -> None:
    first = ClusterPresence(await start_bus("A"))
    second = ClusterPresence(await start_bus("B"))
    await first.changed("people", "c1", True)
    await first.changed("advisors", "7", True)
    await wait_until(lambda: second.elsewhere("advisors") == {"7"})
    assert second.elsewhere("people") == {"c1"}
    assert first.elsewhere("people") == set()  # its own members are not "elsewhere"
    await first.changed("people", "c1", False)
    await wait_until(lambda: second.elsewhere("people") == set())
    assert second.elsewhere("advisors") == {"7"}


async def test_the_heartbeat_state_replaces_what_was_told(start_bus: StartBus) -> None:
    first = ClusterPresence(await start_bus("A"))
    second = ClusterPresence(await start_bus("B"))
    mine = {"c2", "c3"}
    first.report("people", lambda: set(mine))
    await first.changed("people", "c1", True)  # a change whose "gone" got lost
    await wait_until(lambda: second.elsewhere("people") == {"c1"})
    await first.heartbeat()
    await wait_until(lambda: second.elsewhere("people") == {"c2", "c3"})
    mine.clear()
    await first.heartbeat()
    await wait_until(lambda: second.elsewhere("people") == set())


async def test_several_instances_add_up(start_bus: StartBus) -> None:
    first = ClusterPresence(await start_bus("A"))
    second = ClusterPresence(await start_bus("B"))
    third = ClusterPresence(await start_bus("C"))
    await first.changed("people", "c1", True)
    await second.changed("people", "c2", True)
    await wait_until(lambda: third.elsewhere("people") == {"c1", "c2"})
    await wait_until(lambda: first.elsewhere("people") == {"c2"})
    assert second.elsewhere("people") == {"c1"}


async def test_an_instance_gone_silent_is_forgotten() -> None:
    network: list[FakeBus] = []
    clock = Clock()
    first = ClusterPresence(FakeBus(network, "A"), clock=clock)
    second = ClusterPresence(FakeBus(network, "B"), clock=clock)
    first.report("people", lambda: {"c1"})
    await first.heartbeat()
    assert second.elsewhere("people") == {"c1"}
    clock.now += EXPIRE_SECONDS - 1
    assert second.elsewhere("people") == {"c1"}
    await first.changed("advisors", "7", True)  # any word from it counts as alive
    clock.now += EXPIRE_SECONDS - 1
    assert second.elsewhere("people") == {"c1"}
    assert second.elsewhere("advisors") == {"7"}
    clock.now += 2  # silent for longer than EXPIRE_SECONDS: it died
    assert second.elsewhere("people") == set()
    assert second.elsewhere("advisors") == set()
    await first.heartbeat()  # back again
    assert second.elsewhere("people") == {"c1"}


async def test_events_of_unknown_kinds_or_forms_are_ignored() -> None:
    network: list[FakeBus] = []
    first, second = FakeBus(network, "A"), FakeBus(network, "B")
    presence = ClusterPresence(second)
    await first.publish("presence", {"kind": "unbekannt", "member": "x", "present": True})
    await first.publish("presence", {"kind": "people", "member": 42, "present": True})
    await first.publish("presence", {"kind": "people"})
    await first.publish("presence", {"state": "kaputt"})
    assert presence.elsewhere("people") == set()


async def test_a_new_instance_loads_what_the_others_stored(make_client: MakeClient) -> None:
    client = make_client(None)
    network: list[FakeBus] = []
    first = ClusterPresence(FakeBus(network, "A"), client)
    first.report("people", lambda: {"c1", "c2"})
    first.report("advisors", lambda: {"7"})
    await first.heartbeat()
    stored = await client.get(KEY_PREFIX + "A")
    assert stored is not None
    assert json.loads(stored) == {"people": ["c1", "c2"], "advisors": ["7"]}
    assert 0 < await client.ttl(KEY_PREFIX + "A") <= EXPIRE_SECONDS

    started_later: Bus = FakeBus([], "B")  # heard none of the events
    later = ClusterPresence(started_later, make_client(None))
    later.report("people", lambda: {"c9"})
    await later.heartbeat()  # its own state is stored too, but not "elsewhere"
    await later.load()
    assert later.elsewhere("people") == {"c1", "c2"}
    assert later.elsewhere("advisors") == {"7"}


async def test_without_a_client_load_and_heartbeat_only_use_the_bus() -> None:
    network: list[FakeBus] = []
    first = ClusterPresence(FakeBus(network, "A"))
    second = ClusterPresence(FakeBus(network, "B"))
    first.report("people", lambda: {"c1"})
    await first.heartbeat()
    await second.load()
    assert second.elsewhere("people") == {"c1"}
