"""Two gateways behind HAProxy, in two Chromium pages: the person's widget on one
instance, the advisor's console on the other; then each instance dies in turn while
the other side writes, and neither page misses a message."""

from __future__ import annotations

import os
import signal

import pytest
from playwright.sync_api import Page, expect

from tests.browser.handoff_steps import advisor_logs_in, person_queues
from tests.cluster import Cluster

pytestmark = pytest.mark.browser


def kill_and_restart(cluster: Cluster, name: str) -> None:
    """SIGKILL one gateway instance, then start it again (as `make run-cluster` does)."""
    os.killpg(cluster.supervisor.processes[name].pid, signal.SIGKILL)
    cluster.supervisor.stop(name)
    cluster.supervisor.start(name)
    cluster.supervisor.wait_healthy(name, timeout=60)


def test_person_and_advisor_on_different_instances_miss_nothing_when_one_dies(
    pages: tuple[Page, Page], cluster: Cluster
) -> None:
    person, advisor = pages
    one, two = cluster.instances
    advisor_logs_in(advisor, two, "--name", "Jana Roth", "--salutation", "Frau")
    box = person_queues(person, one, "Wie sichere ich die Daten meiner Kasse?")

    waiting = advisor.locator("#queue-waiting li.queue-item")
    expect(waiting).to_have_count(1, timeout=3_000)  # through Redis, from the other gateway
    waiting.first.click()
    advisor.locator("#claim").click()
    expect(person.locator(".wb-msg .wb-text").last).to_have_text(
        "Frau Roth von der Handwerkskammer ist jetzt für Sie da.", timeout=5_000
    )
    box.fill("Ich nutze eine Kassen-App.")
    box.press("Enter")
    expect(advisor.locator('#transcript li[data-sender="user"]').last).to_contain_text(
        "Ich nutze eine Kassen-App.", timeout=5_000
    )

    # the person's gateway dies; the advisor answers meanwhile
    os.killpg(cluster.supervisor.processes["gateway-1"].pid, signal.SIGKILL)
    advisor.locator("#reply-text").fill("Dann sichern Sie die Exporte wöchentlich.")
    advisor.locator("#reply-send").click()
    expect(advisor.locator('#transcript li[data-sender="advisor"]').last).to_contain_text(
        "Dann sichern Sie die Exporte wöchentlich."
    )
    cluster.supervisor.stop("gateway-1")
    cluster.supervisor.start("gateway-1")
    cluster.supervisor.wait_healthy("gateway-1", timeout=60)
    reply = person.locator('.wb-msg[data-sender="advisor"]').last
    expect(reply).to_contain_text("Dann sichern Sie die Exporte wöchentlich.", timeout=20_000)

    # the advisor's gateway dies; the person writes meanwhile
    os.killpg(cluster.supervisor.processes["gateway-2"].pid, signal.SIGKILL)
    expect(advisor.locator("#connection")).to_have_attribute("data-state", "closed")
    box.fill("Danke, und wohin mit den Exporten?")
    box.press("Enter")
    # stored by the person's gateway (acknowledged), though no console hears it now
    expect(person.locator('.wb-msg[data-sender="user"]').last).to_have_attribute(
        "data-delivery", "sent", timeout=5_000
    )
    kill_and_restart(cluster, "gateway-2")
    expect(advisor.locator("#connection")).to_have_attribute("data-state", "open", timeout=40_000)
    expect(advisor.locator('#transcript li[data-sender="user"]').last).to_contain_text(
        "Danke, und wohin mit den Exporten?", timeout=10_000
    )
    advisor.locator("#close").click()
