"""Resources: how assets reach the source systems and the raw zone."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from minzheng.raw_zone import RawZone
from sources.common.reach import RETRY_BUDGET_S
from sources.elderly_care.client import ElderlyCareClient
from sources.smart_assistance.client import SmartAssistanceClient


class SmartAssistanceApi(dg.ConfigurableResource):
    """The smart assistance platform's HTTP API (智慧救助管理服务平台)."""

    base_url: str
    token: str
    page_size: int = 1000
    # Seconds of transient faults (refused, timeouts, 429/5xx) retried before "unreachable".
    retry_budget_s: float = RETRY_BUDGET_S

    def client(self) -> SmartAssistanceClient:
        if not self.base_url or not self.token:
            raise dg.Failure(
                "MINZHENG_SA_API_URL and MINZHENG_SA_API_TOKEN must be set to reach the "
                "smart assistance platform (`minzheng run` starts the simulated one itself)"
            )
        return SmartAssistanceClient(
            self.base_url, self.token, page_size=self.page_size, retry_budget_s=self.retry_budget_s
        )


class ElderlyCareDatabase(dg.ConfigurableResource):
    """The elderly-care system's read replica, any SQLAlchemy URL."""

    url: str
    chunk_size: int = 50_000
    retry_budget_s: float = RETRY_BUDGET_S

    def client(self) -> ElderlyCareClient:
        return ElderlyCareClient(
            self.url, chunk_size=self.chunk_size, retry_budget_s=self.retry_budget_s
        )


class FileDrop(dg.ConfigurableResource):
    """A folder where a source system drops its files."""

    directory: str

    @property
    def path(self) -> Path:
        return Path(self.directory)


class RawZoneResource(dg.ConfigurableResource):
    root: str

    def zone(self) -> RawZone:
        return RawZone(Path(self.root))
