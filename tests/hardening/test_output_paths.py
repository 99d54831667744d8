"""Writes that never replace what is not ours: ``-o`` naming a character device or a FIFO
writes through to it (or says why not), and never renames a regular file over it; a folder, an empty name and a
read-only file system are each a one-line named exit 2. The FIFO and the devices are made in a temporary folder
(mknod where this user may, else the test is skipped saying why)."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import threading
from pathlib import Path

import pytest
from sheetfactory import PARTICIPATING_8, make_sheet, row8

from mapcore.cli.main import main
from mapcore.core import atomic

NULL, FULL = (1, 3), (1, 7)  # Linux's /dev/null and /dev/full


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    make_sheet(tmp_path / "sheets" / "participatingAgencies07022025am.xlsx", PARTICIPATING_8, [row8()])
    return tmp_path / "sheets"


def _device(path: Path, numbers: tuple[int, int]) -> Path:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(*numbers))
    except (PermissionError, OSError) as exc:
        reason = f"mknod of a character device is not permitted here ({exc.strerror or exc})"
        print(reason)
        pytest.skip(reason)
    return path


def _one_line(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_export_onto_a_character_device_writes_through_and_leaves_the_device(source, tmp_path, capsys):
    null = _device(tmp_path / "null", NULL)
    assert main(["export", "--source", str(source), "-o", str(null)]) == 0
    assert stat.S_ISCHR(null.lstat().st_mode), "the device node was replaced by a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "null", "sheets"], "a temporary file was left"


def test_render_onto_a_full_device_is_a_named_exit_2_and_leaves_the_device(source, tmp_path, capsys):
    full = _device(tmp_path / "full", FULL)
    assert main(["render", "--source", str(source), "--format", "svg", "-o", str(full)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"mapcore render: {full}: cannot be written") and "No space left on device" in line
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_export_onto_a_fifo_writes_through_to_its_reader(source, tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["export", "--source", str(source), "-o", str(fifo)]) == 0
    reader.join(30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and b"Harris County Sheriff's Office" in received[0]


def test_export_onto_a_fifo_nobody_reads_is_named_not_a_hang(source, tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert main(["export", "--source", str(source), "-o", str(fifo)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"{fifo}: a FIFO that nobody is reading; not written" in line
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("command", ["export", "render"])
def test_output_naming_a_folder_or_nothing_is_a_named_exit_2(source, tmp_path, capsys, command):
    folder = tmp_path / "out"
    folder.mkdir()
    extra = ["--format", "svg"] if command == "render" else []
    assert main([command, "--source", str(source), *extra, "-o", str(folder)]) == 2
    assert f"{folder}: is a folder; give a file name" in _one_line(capsys.readouterr().err)
    assert main([command, "--source", str(source), *extra, "-o", ""]) == 2
    assert "-o '': no file name given" in _one_line(capsys.readouterr().err)


def test_a_read_only_file_system_is_a_named_exit_2(source, tmp_path, capsys, monkeypatch):
    out = tmp_path / "mounted-read-only" / "agreements.csv"
    out.parent.mkdir()
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):  # as a read-only mount answers (root may write anywhere else)
        if Path(dir) == out.parent:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    assert main(["export", "--source", str(source), "-o", str(out)]) == 2
    assert _one_line(capsys.readouterr().err) == f"mapcore export: {out}: cannot be written (Read-only file system)"
    assert not out.exists()


def test_a_symlink_to_a_file_stays_a_symlink(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    atomic.write_text_atomically(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_block_device_or_socket_is_refused(tmp_path):
    import socket

    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        with pytest.raises(atomic.WriteError, match=r"sock: is a socket, not a file; not written"):
            atomic.write_bytes_atomically(sock_path, b"x")
        assert stat.S_ISSOCK(sock_path.lstat().st_mode)
    finally:
        server.close()


def test_a_snapshot_is_never_written_over_a_file_or_a_device(tmp_path, capsys):
    from mapcore.cli.main import main

    target = tmp_path / "not-a-folder"
    os.mkfifo(target)
    assert main(["snapshot", "--source", str(tmp_path), "-o", str(target)]) == 2
    assert _one_line(capsys.readouterr().err) == f"mapcore snapshot: {target}: exists and is not a folder; not replaced"
    assert stat.S_ISFIFO(target.lstat().st_mode)
