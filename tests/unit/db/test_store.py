from bot.db.store import MessageStore, StoredMessage, is_valid_conversation_id


async def test_unknown_or_malformed_ids_open_a_new_conversation(store: MessageStore) -> None:
    first = await store.open_conversation(None, "web")
    assert is_valid_conversation_id(first)
    assert await store.open_conversation("0" * 32, "web") not in {"0" * 32, first}
    assert await store.open_conversation("'; DROP TABLE messages; --", "web") != first


async def test_known_id_is_resumed_once_it_has_a_message(store: MessageStore) -> None:
    conversation = await store.open_conversation(None, "web")
    await store.add(conversation, StoredMessage("user", "Hallo"), "telegram")
    assert await store.open_conversation(conversation, "web") == conversation


async def test_an_opened_but_unused_conversation_is_not_kept(store: MessageStore) -> None:
    conversation = await store.open_conversation(None, "web")
    assert await store.open_conversation(conversation, "web") != conversation


async def test_history_keeps_order_buttons_and_custom_payloads(store: MessageStore) -> None:
    conversation = await store.open_conversation(None, "web")
    other = await store.open_conversation(None, "web")
    await store.add(conversation, StoredMessage("user", "Hallo"))
    stored = await store.add(
        conversation,
        StoredMessage(
            "bot", "Guten Tag!", [{"title": "Hilfe", "payload": "/help"}], {"handoff": {}}
        ),
    )
    await store.add(other, StoredMessage("user", "fremd"))
    assert stored.id is not None
    assert stored.created_at is not None
    history = await store.history(conversation)
    assert [(m.sender, m.text) for m in history] == [("user", "Hallo"), ("bot", "Guten Tag!")]
    assert history[1].buttons == [{"title": "Hilfe", "payload": "/help"}]
    assert history[1].custom == {"handoff": {}}


async def test_history_limit_returns_the_latest_messages_oldest_first(
    store: MessageStore,
) -> None:
    conversation = await store.open_conversation(None, "web")
    for number in range(5):
        await store.add(conversation, StoredMessage("user", f"Nachricht {number}"))
    history = await store.history(conversation, limit=2)
    assert [m.text for m in history] == ["Nachricht 3", "Nachricht 4"]


def test_conversation_id_format() -> None:
    assert is_valid_conversation_id("a" * 32)
    assert not is_valid_conversation_id("A" * 32)
    assert not is_valid_conversation_id("a" * 31)
