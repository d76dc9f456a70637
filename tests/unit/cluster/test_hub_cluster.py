"""The hubs of two gateway instances on one Redis: what one delivers reaches the
sockets of the other, and who is connected counts everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import WSCloseCode

from bot.cluster.bus import RedisBus
from bot.cluster.presence import ClusterPresence
from bot.db.store import StoredMessage
from bot.handoff.hub import (
    ERASED_BY_ADVISOR,
    ERASED_CLOSE_CODE,
    RESYNC_CLOSE_CODE,
    ConsoleHub,
    PersonHub,
)
from tests.unit.cluster.support import (
    FakeSocket,
    MakeClient,
    StartBus,
    bus_client_name,
    kill_pubsub,
    wait_until,
)

TYPING = {"type": "typing", "sender": "advisor", "name": "Frau Schulz"}


@dataclass
class Instance:
    """The hubs of one gateway instance."""

    bus: RedisBus
    presence: ClusterPresence
    people: PersonHub
    consoles: ConsoleHub


async def instance(start_bus: StartBus, make_client: MakeClient, name: str) -> Instance:
    bus = await start_bus(name)
    presence = ClusterPresence(bus, make_client(None))
    return Instance(bus, presence, PersonHub(bus, presence), ConsoleHub(bus, presence))


async def two_instances(start_bus: StartBus, make_client: MakeClient) -> tuple[Instance, Instance]:
    return (
        await instance(start_bus, make_client, "A"),
        await instance(start_bus, make_client, "B"),
    )


def presence_log(hub: PersonHub) -> list[tuple[str, bool]]:
    """What `hub` tells its presence listeners."""
    log: list[tuple[str, bool]] = []

    async def listener(conversation_id: str, open_: bool) -> None:
        log.append((conversation_id, open_))

    hub.on_presence.append(listener)
    return log


async def test_a_push_on_one_instance_reaches_the_socket_on_the_other(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    here, there, other = FakeSocket(), FakeSocket(), FakeSocket()
    await a.people.attach("c1", here.ws)
    await b.people.attach("c1", there.ws)
    await b.people.attach("c2", other.ws)
    await a.people.push("c1", TYPING, skip=here.ws)
    await wait_until(lambda: there.sent == [TYPING])
    assert here.sent == []  # skipped here (the sender's own socket)
    await a.people.advisor_typing("c2", "Herr Brandt")
    await wait_until(lambda: len(other.sent) == 1)
    assert other.sent[0]["name"] == "Herr Brandt"
    assert there.sent == [TYPING]


async def test_delivered_messages_reach_the_socket_on_the_other_instance(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    woken: list[str] = []
    a.people.on_deliver.append(woken.append)
    assert not await a.people.deliver("c0", [StoredMessage("bot", "Niemand da")])
    there = FakeSocket()
    await b.people.attach("c1", there.ws)
    await wait_until(lambda: "c1" in a.people.connected())
    messages = [StoredMessage("bot", "Guten Tag", id=1), StoredMessage("advisor", "Hallo", id=2)]
    assert await a.people.deliver("c1", messages)  # open on the other instance
    await wait_until(lambda: len(there.sent) == 2)
    assert there.sent == [{"type": "message", "message": m.to_json()} for m in messages]
    assert woken == ["c0", "c1"]


async def test_a_person_connected_elsewhere_counts_as_connected(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    there = FakeSocket()
    await b.people.attach("c1", there.ws)
    await wait_until(lambda: "c1" in a.people.connected())
    assert b.people.connected() >= {"c1"}
    await b.people.detach("c1", there.ws)
    await wait_until(lambda: "c1" not in a.people.connected())
    assert "c1" not in b.people.connected()


async def test_presence_listeners_hear_only_of_the_first_and_last_window_anywhere(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    at_a, at_b = presence_log(a.people), presence_log(b.people)
    on_b, on_a = FakeSocket(), FakeSocket()
    await b.people.attach("c1", on_b.ws)  # the first window anywhere
    assert at_b == [("c1", True)]
    await wait_until(lambda: "c1" in a.people.connected())
    await a.people.attach("c1", on_a.ws)  # open elsewhere already: nothing changes
    assert at_a == []
    await wait_until(lambda: "c1" in b.presence.elsewhere("people"))
    await b.people.detach("c1", on_b.ws)  # still open on A
    assert at_b == [("c1", True)]
    await wait_until(lambda: "c1" not in a.presence.elsewhere("people"))
    await a.people.detach("c1", on_a.ws)  # the last window anywhere
    assert at_a == [("c1", False)]
    assert at_b == [("c1", True)]


async def test_close_and_erase_reach_the_other_instance(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    closed, erased = FakeSocket(), FakeSocket()
    await b.people.attach("c1", closed.ws)
    await b.people.attach("c2", erased.ws)
    await a.people.close("c1", 4000, b"Sitzung beendet")
    await a.people.erased("c2")
    await wait_until(lambda: closed.closed and erased.closed)
    assert (closed.close_code, closed.close_message) == (4000, b"Sitzung beendet")
    assert erased.close_code == ERASED_CLOSE_CODE
    assert [frame["message"]["text"] for frame in erased.sent] == [ERASED_BY_ADVISOR]


async def test_resync_closes_this_instances_sockets_so_they_reload(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    person, console, elsewhere = FakeSocket(), FakeSocket(), FakeSocket()
    await a.people.attach("c1", person.ws)
    await a.consoles.attach(7, console.ws, "sitzung")
    await b.people.attach("c1", elsewhere.ws)
    await a.people.resync()
    await a.consoles.resync()
    assert person.close_code == RESYNC_CLOSE_CODE == WSCloseCode.SERVICE_RESTART
    assert console.close_code == WSCloseCode.SERVICE_RESTART
    assert 7 not in a.consoles.online()
    assert not elsewhere.closed  # the other instance's sockets stay


async def test_a_gap_on_the_bus_closes_the_instances_sockets(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    b.bus.on_gap += [b.people.resync, b.consoles.resync]
    person, console = FakeSocket(), FakeSocket()
    await b.people.attach("c1", person.ws)
    await b.consoles.attach(7, console.ws, "sitzung")
    assert await kill_pubsub(make_client(None), bus_client_name(b.bus.instance)) == 1
    await wait_until(lambda: person.closed and console.closed)
    assert person.close_code == console.close_code == WSCloseCode.SERVICE_RESTART
    again = FakeSocket()  # the browser reconnects; pushes reach it again
    await b.people.attach("c1", again.ws)
    await a.people.push("c1", TYPING)
    await wait_until(lambda: again.sent == [TYPING])


async def test_an_advisor_online_elsewhere_counts_as_online(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    console = FakeSocket()
    await b.consoles.attach(7, console.ws, "sitzung")
    assert b.consoles.online() == {7}
    await wait_until(lambda: 7 in a.consoles.online())
    await b.consoles.detach(console.ws)
    await wait_until(lambda: 7 not in a.consoles.online())


async def test_an_advisor_stays_online_while_one_of_the_consoles_is_open(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    first, second = FakeSocket(), FakeSocket()
    await b.consoles.attach(7, first.ws, "sitzung")
    await b.consoles.attach(7, second.ws, "sitzung")
    await wait_until(lambda: 7 in a.consoles.online())
    await b.consoles.detach(first.ws)
    await b.people.attach("c1", FakeSocket().ws)  # a later presence event, as a marker
    await wait_until(lambda: "c1" in a.people.connected())
    assert 7 in a.consoles.online()
    await b.consoles.detach(second.ws)
    await wait_until(lambda: 7 not in a.consoles.online())


async def test_an_advisor_online_elsewhere_is_known_from_the_heartbeat(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    await b.consoles.attach(7, FakeSocket().ws, "sitzung")
    await b.presence.heartbeat()
    bus = await start_bus("C")
    later = ClusterPresence(bus, make_client(None))
    started_later = ConsoleHub(bus, later)
    await later.load()
    await wait_until(lambda: 7 in a.consoles.online())
    assert 7 in started_later.online()


async def test_console_frames_reach_the_consoles_on_the_other_instance(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    schulz, brandt = FakeSocket(), FakeSocket()
    await b.consoles.attach(7, schulz.ws, "sitzung-7")
    await b.consoles.attach(8, brandt.ws, "sitzung-8")
    only_schulz: dict[str, Any] = {"type": "chat", "id": 1}
    everyone: dict[str, Any] = {"type": "notice", "text": "Wartung"}
    await a.consoles.send_to({7}, only_schulz)
    await a.consoles.broadcast(everyone)
    await wait_until(lambda: brandt.sent == [everyone])  # after send_to on the channel
    assert schulz.sent == [only_schulz, everyone]
    await a.consoles.end_session("sitzung-7")
    await wait_until(lambda: schulz.closed)
    assert schulz.close_code == WSCloseCode.POLICY_VIOLATION
    assert not brandt.closed
    assert b.consoles.online() == {8}


async def test_queue_broadcasts_reach_the_other_instance(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    a, b = await two_instances(start_bus, make_client)
    built: list[int] = []

    async def snapshot(advisor_id: int) -> dict[str, Any]:
        built.append(advisor_id)
        return {"type": "queue", "for": advisor_id}

    a.consoles.use_snapshots(snapshot)
    b.consoles.use_snapshots(snapshot)
    here, there = FakeSocket(), FakeSocket()
    await a.consoles.attach(7, here.ws)
    await b.consoles.attach(8, there.ws)
    await a.consoles.broadcast_queue()
    await wait_until(lambda: there.sent == [{"type": "queue", "for": 8}])
    assert here.sent == [{"type": "queue", "for": 7}]
    assert sorted(built) == [7, 8]
