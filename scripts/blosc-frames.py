"""Blosc frames as zarr-python writes them (Python numcodecs), for tests/blosc-frame.test.ts.

    /usr/bin/python3 scripts/blosc-frames.py   (Debian's python3-numcodecs)

Writes tests/fixtures/blosc/frames.bin (the frames one after another) and frames.json (per frame:
where it lies, how its input was made and how it was encoded). The inputs come from a 32-bit
linear congruential generator the test repeats exactly, so only the frames are stored.
"""
import json
import os

import numcodecs
import numpy as np
from numcodecs import Blosc

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "blosc")


def lcg_bytes(n, seed):
    state = seed
    out = bytearray(n)
    for i in range(n):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = state >> 24
    return out


def make_input(kind, size, seed):
    noise = lcg_bytes(size, seed)
    if kind == "draws":
        # float64 draws between 2 and 4: random mantissa bytes, the top two nearly constant.
        return bytes(noise[i] if i % 8 < 6 else (0x00 | (noise[i] & 0x0F)) if i % 8 == 6 else 0x40 for i in range(size))
    return bytes(noise[i] if (i >> 6) % 3 == 0 else i % 7 for i in range(size))


def main():
    os.makedirs(OUT, exist_ok=True)
    frames = []
    blob = bytearray()

    def add(kind, size, typesize, cname, clevel, shuffle, blocksize):
        seed = len(frames) + 1
        data = make_input(kind, size, seed)
        codec = Blosc(cname=cname, clevel=clevel, shuffle=shuffle, blocksize=blocksize)
        # zarr-python hands Blosc the chunk as an array of its dtype: the type size comes from it.
        dtype = {1: "u1", 4: "<f4", 8: "<f8"}[typesize]
        frame = codec.encode(np.frombuffer(data, dtype=dtype))
        frames.append(dict(offset=len(blob), length=len(frame), kind=kind, size=size, seed=seed, typesize=typesize,
                           cname=cname, clevel=clevel, shuffle=shuffle, blocksize=blocksize))
        blob.extend(frame)

    for kind in ("draws", "runs"):
        for size in (0, 8, 1000, 12000):
            for typesize in (1, 4, 8):
                for shuffle in (Blosc.NOSHUFFLE, Blosc.SHUFFLE):
                    for clevel in (0, 5, 9):
                        for blocksize in (0, 4096):
                            add(kind, size, typesize, "lz4", clevel, shuffle, blocksize)
    # Several compressed blocks and a shorter last one (not split into streams).
    for typesize in (4, 8):
        for shuffle in (Blosc.NOSHUFFLE, Blosc.SHUFFLE):
            add("runs", 100000, typesize, "lz4", 5, shuffle, 16384)
    for cname in ("lz4hc",):
        add("draws", 12000, 8, cname, 5, Blosc.SHUFFLE, 4096)
    for cname, shuffle in (("zstd", Blosc.SHUFFLE), ("zlib", Blosc.SHUFFLE), ("blosclz", Blosc.SHUFFLE), ("lz4", Blosc.BITSHUFFLE)):
        add("runs", 12000, 8, cname, 5, shuffle, 0)

    with open(os.path.join(OUT, "frames.bin"), "wb") as f:
        f.write(blob)
    with open(os.path.join(OUT, "frames.json"), "w") as f:
        rows = ",\n".join(json.dumps(frame) for frame in frames)
        f.write(f'{{"numcodecs": {json.dumps(numcodecs.__version__)}, "frames": [\n{rows}\n]}}\n')


main()
