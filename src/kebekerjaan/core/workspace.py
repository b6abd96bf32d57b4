"""A workspace is a folder: inputs under data/masuk/, the store, and run folders.

The repository root is the default workspace; the demo and the tests use their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kebekerjaan.core.config import (
    CONFIG_NAME,
    Settings,
    default_workspace,
    defaults_text,
    load_settings,
)

# Input kinds and the folder staff drop their files into.
INPUT_KINDS = ("alumni", "lowongan", "respons", "wa", "blast")


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def inbox(self, kind: str) -> Path:
        if kind not in INPUT_KINDS:
            raise ValueError(f"unknown input kind {kind!r}")
        return self.data / "masuk" / kind

    @property
    def store_path(self) -> Path:
        return self.data / "kebekerjaan.sqlite"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def settings(self) -> Settings:
        """The workspace's settings; an unchanged kebekerjaan.toml is not parsed again."""
        return load_settings(self.config_path)

    def ensure(self) -> Workspace:
        """Create the folder layout (idempotent)."""
        for kind in INPUT_KINDS:
            self.inbox(kind).mkdir(parents=True, exist_ok=True)
        self.outputs.mkdir(parents=True, exist_ok=True)
        return self


def open_workspace(root: Path | str | None = None) -> Workspace:
    return Workspace(Path(root).resolve() if root else default_workspace()).ensure()


def init_workspace(root: Path | str) -> Workspace:
    """Create a workspace with a full, commented copy of the default settings."""
    ws = Workspace(Path(root).resolve()).ensure()
    if not ws.config_path.exists():
        ws.config_path.write_text(defaults_text(), encoding="utf-8")
    return ws
