"""Schemathesis hooks for scripts/api-check: how to make sync bodies and sealed files.

`application/vnd.homeward.sync` is one format byte (6) then raw deflate of a postcard message
(homeward-shared's wire module). Schemathesis cannot make such bodies by itself, so this
registers a strategy for the media type: random bytes, random bytes in a well-formed envelope,
and well-formed SyncRequests (cursor, budget, reference version, no pushed changes, and some
spot-check outcomes with random ids and notes), so the run reaches the decoder's checks and
the sync itself, not only the envelope's.

`application/vnd.homeward.sealed` (POST /api/v1/bundles, issue 14) is a sealed file: the magic
`HWSEAL1\n`, a kind byte, the recipient's 8-byte key id, HPKE's 32-byte encapsulated key and the
ciphertext (homeward-shared's seal module). Nobody but a device holding keys can make a valid
one, so the strategy makes random bytes and random bytes behind a well-formed header, which
reach the header's checks and the decryption's refusal.
"""

import zlib

import schemathesis
from hypothesis import strategies as st

FORMAT = b"\x06"


def deflate_raw(data: bytes) -> bytes:
    c = zlib.compressobj(wbits=-15)
    return c.compress(data) + c.flush()


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def text(s: str) -> bytes:
    raw = s.encode("utf-8")
    return varint(len(raw)) + raw


# Cursor: Start (0), Feed(seq) (2); Documents (1) carries a case id after the feed position.
cursors = st.one_of(
    st.just(varint(0)),
    st.tuples(st.integers(0, 2**64 - 1), st.text(max_size=40)).map(
        lambda t: varint(1) + varint(t[0]) + text(t[1])
    ),
    st.integers(0, 2**64 - 1).map(lambda n: varint(2) + varint(n)),
)

# SpotCheckOutcome: id, outcome (verified, has_issues, could_not_verify), note, recorded (text).
outcomes = st.lists(
    st.tuples(
        st.text(max_size=40),
        st.integers(0, 2),
        st.text(max_size=60),
        st.text(max_size=30),
    ).map(lambda t: text(t[0]) + varint(t[1]) + text(t[2]) + text(t[3])),
    max_size=3,
)


@st.composite
def sync_requests(draw):
    body = (
        draw(cursors)
        + varint(draw(st.integers(0, 2**32 - 1)))
        + varint(draw(st.integers(0, 2**64 - 1)))  # reference_version
        + varint(draw(st.integers(0, 2**64 - 1)))  # resources_version
        + varint(0)  # push: no changes
    )
    outs = draw(outcomes)
    body += varint(len(outs)) + b"".join(outs)
    body += varint(draw(st.integers(0, 2**64 - 1)))  # bundle_seen
    return FORMAT + deflate_raw(body)


sync_bodies = st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda b: FORMAT + deflate_raw(b)),
    sync_requests(),
)

schemathesis.openapi.media_type("application/vnd.homeward.sync", sync_bodies)

sealed_bodies = st.one_of(
    st.binary(max_size=200),
    st.tuples(st.integers(0, 255), st.binary(min_size=8, max_size=8), st.binary(max_size=200)).map(
        lambda t: b"HWSEAL1\n" + bytes([t[0]]) + t[1] + t[2]
    ),
)

schemathesis.openapi.media_type("application/vnd.homeward.sealed", sealed_bodies)
