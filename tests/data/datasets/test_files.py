"""Tests for jaring/data/datasets/files.py: search order, checksums, atomic download, safe extraction."""

import hashlib
import io
import tarfile

import pytest

from jaring.data.datasets.files import (
    CorruptDatasetError,
    DatasetNotFoundError,
    download,
    extract_tar,
    file_digest,
    locate,
    search_dirs,
    verify,
)


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def test_search_order_root_env_cache(isolated, monkeypatch):
    monkeypatch.setenv("JARING_DATA", str(isolated / "shared"))
    dirs = search_dirs(isolated / "mine", "mnist")
    assert dirs == [
        isolated / "mine",
        isolated / "mine" / "mnist",
        isolated / "shared" / "mnist",
        isolated / "cache" / "jaring" / "mnist",
    ]


def test_locate_finds_in_env_and_verifies(isolated, monkeypatch):
    folder = isolated / "shared" / "toy"
    folder.mkdir(parents=True)
    (folder / "a.bin").write_bytes(b"hello")
    monkeypatch.setenv("JARING_DATA", str(isolated / "shared"))
    assert locate("a.bin", md5(b"hello"), None, "toy") == folder / "a.bin"
    with pytest.raises(CorruptDatasetError, match=f"md5 is {md5(b'hello')}, expected 0123"):
        locate("a.bin", "0123", None, "toy")


def test_missing_file_error_lists_every_place_and_checksum(isolated):
    with pytest.raises(DatasetNotFoundError) as info:
        locate("a.bin", "abc123", isolated / "mine", "toy", download_from=["http://x/"], dataset="Toy")
    message = str(info.value)
    for place in (isolated / "mine", isolated / "mine" / "toy", isolated / "cache" / "jaring" / "toy"):
        assert str(place) in message
    assert "abc123" in message and "download=True" in message and "$JARING_DATA" in message


def test_digests_and_verify(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert file_digest(path, "sha256") == hashlib.sha256(b"abc").hexdigest()
    verify(path, md5=md5(b"abc"), sha256=hashlib.sha256(b"abc").hexdigest())
    with pytest.raises(CorruptDatasetError, match="sha256"):
        verify(path, sha256="0" * 64)
    with pytest.raises(ValueError, match="'md5' or 'sha256'"):
        file_digest(path, "sha1")


def test_download_from_file_url_is_verified_and_atomic(tmp_path):
    source = tmp_path / "src.bin"
    source.write_bytes(b"payload")
    dest = tmp_path / "out" / "data.bin"
    bad_url = (tmp_path / "nope.bin").as_uri()
    assert download([bad_url, source.as_uri()], dest, md5(b"payload")) == dest
    assert dest.read_bytes() == b"payload"
    other = tmp_path / "out" / "other.bin"
    with pytest.raises(DatasetNotFoundError, match=r"could not download other.bin \(md5 0000\)"):
        download([source.as_uri()], other, "0000")
    assert sorted(p.name for p in other.parent.iterdir()) == ["data.bin"]


def test_locate_downloads_when_allowed(isolated):
    mirror = isolated / "mirror"
    mirror.mkdir()
    (mirror / "a.bin").write_bytes(b"xyz")
    path = locate("a.bin", md5(b"xyz"), None, "toy", download_from=[mirror.as_uri()], download_ok=True)
    assert path == isolated / "cache" / "jaring" / "toy" / "a.bin"


def make_tar(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))


def test_extract_tar_plain_files(tmp_path):
    make_tar(tmp_path / "ok.tar.gz", [("d/a.txt", b"A"), ("d/b.txt", b"B")])
    extract_tar(tmp_path / "ok.tar.gz", tmp_path / "out")
    assert (tmp_path / "out" / "d" / "b.txt").read_bytes() == b"B"


@pytest.mark.parametrize(
    "name, data, message", [("../evil.txt", b"x", "outside"), ("link", None, "not a plain")]
)
def test_extract_tar_refuses_escapes_and_links(tmp_path, name, data, message):
    make_tar(tmp_path / "bad.tar.gz", [("fine.txt", b"ok"), (name, data)])
    with pytest.raises(CorruptDatasetError, match=message):
        extract_tar(tmp_path / "bad.tar.gz", tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "out" / "fine.txt").exists()
