#!/usr/bin/env python3
"""numpy's side of the .npy tests: numpy writes the files colbench loads,
and numpy judges the files colbench writes.

  numpy_oracle.py write DIR            every kind of file numpy writes, one
                                       name per line on stdout
  numpy_oracle.py spellings DIR        hand-written headers in every
                                       spelling of float64 and float32 numpy
                                       reads ('<d', '=f8', 'float64', ...,
                                       Python 2's (4L, 3L)) and some it
                                       refuses; a line NAME VERDICT WHAT
                                       (tab-separated) for each, VERDICT as
                                       np.load judges it:
                                       loads (float64 or float32), other-dtype
                                       (another dtype) or refused
  numpy_oracle.py check-sums M S       S (colbench --sums) against numpy's
                                       M.sum(axis=0), 1e-12 relative
  numpy_oracle.py check-saved F SEED ROWS COLS LAYOUT
                                       F (colbench --save) loads with that
                                       shape and order, holds colbench's
                                       generator's values (recomputed here
                                       independently), and is byte for byte
                                       what np.save writes for that array
Exit status 0 when the check holds, 1 with a reason on stderr otherwise.
"""
import io
import os
import sys

import numpy as np

KINDS = [(order, descr, version)
         for order in ('C', 'F')
         for descr in ('<f8', '>f8', '<f4', '>f4')
         for version in ((1, 0), (2, 0), (3, 0))]
ODD_SHAPES = [(1, 1), (1, 7), (7, 1), (13, 17), (64, 3)]


def write(directory):
    rng = np.random.default_rng(2026)
    for order, descr, version in KINDS:
        a = np.asarray(rng.standard_normal((13, 17)) * 1e3, dtype=descr, order=order)
        name = f'm-{order}-{descr[0] == "<" and "le" or "be"}{descr[1:]}-v{version[0]}.npy'
        with open(os.path.join(directory, name), 'wb') as f:
            np.lib.format.write_array(f, a, version=version)
        print(name)
    for rows, cols in ODD_SHAPES:
        for order in ('C', 'F'):
            a = np.asarray(rng.random((rows, cols)), order=order)
            name = f'odd-{rows}x{cols}-{order}.npy'
            np.save(os.path.join(directory, name), a)
            print(name)
    return 0


# (file name, descr, shape text, version): spellings other writers use.
SPELLINGS = [(f'descr-{i}.npy', d, '(4, 3)', (1, 0)) for i, d in enumerate([
    '<d', '=f8', '|f8', '>d', '<f', '=f4', '|f4', '>f', 'd', 'f', 'f8', 'f4', 'f08',
    'f 8', 'f+4', 'float64', 'float32', 'double', 'single', 'float', 'float_',
    # numpy refuses these: so must colbench.
    'f8 ', '<float64', 'd8', 'f2', 'f16', '!f8', 'Float64', 'f-8', 'e', 'g'])] + [
    ('long-v1.npy', '<f8', '(4L, 3L)', (1, 0)), ('long-v2.npy', '<f8', '(4L, 3L)', (2, 0)),
    ('long-spaced.npy', '<f8', '(4 L, 3L,)', (1, 0)),
    # Refused by numpy: version 3.0 is not filtered; 'l' and 'LL' are not longs.
    ('long-v3.npy', '<f8', '(4L, 3L)', (3, 0)), ('long-lower.npy', '<f8', '(4l, 3)', (1, 0)),
    ('long-double.npy', '<f8', '(4LL, 3)', (1, 0))]


def spellings(directory):
    """Write each file of SPELLINGS (data: 0..11 as the descr's dtype, or as
    float64 where numpy refuses it) and say how numpy loads it."""
    import struct
    for name, descr, shape, version in SPELLINGS:
        try:
            dtype = np.dtype(descr)
        except TypeError:
            dtype = np.dtype('<f8')
        data = np.arange(12, dtype=dtype).tobytes()
        text = "{'descr': %r, 'fortran_order': False, 'shape': %s, }" % (descr, shape)
        size = 10 if version == (1, 0) else 12
        header = text.encode('latin1')
        header += b' ' * (64 - (size + len(header) + 1) % 64) + b'\n'
        length = struct.pack('<H' if size == 10 else '<I', len(header))
        with open(os.path.join(directory, name), 'wb') as f:
            f.write(b'\x93NUMPY' + bytes(version) + length + header + data)
        try:
            a = np.load(os.path.join(directory, name))
            if not (a.shape == (4, 3) and np.array_equal(a, np.arange(12).reshape(4, 3))):
                print(f'{name}: numpy read other values', file=sys.stderr)
                return 1
            verdict = 'loads' if a.dtype.kind == 'f' and a.dtype.itemsize in (4, 8) else 'other-dtype'
        except (ValueError, TypeError):
            verdict = 'refused'
        print(f'{name}\t{verdict}\t{descr} {shape} v{version[0]}')
    return 0


def check_sums(matrix_file, sums_file):
    m = np.load(matrix_file).astype(np.float64)
    s = np.load(sums_file)
    want = m.sum(axis=0)
    if s.shape != want.shape or s.dtype != np.float64:
        print(f'sums have shape {s.shape} and dtype {s.dtype}, want {want.shape} float64',
              file=sys.stderr)
        return 1
    scale = np.abs(m).sum(axis=0)
    err = np.abs(s - want) / np.where(scale > 0, scale, 1)
    if not np.all(err <= 1e-12):
        print(f'sums differ from numpy: worst relative error {err.max():.3g}', file=sys.stderr)
        return 1
    return 0


def splitmix_matrix(seed, rows, cols):
    """colbench's generator, written again from its definition."""
    def mix(z):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xbf58476d1ce4e5b9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94d049bb133111eb)
        return z ^ (z >> np.uint64(31))
    with np.errstate(over='ignore'):
        key = mix(np.uint64(seed) ^ np.uint64(0x6a09e667f3bcc909))
        index = np.arange(rows * cols, dtype=np.uint64) + np.uint64(1)
        bits = mix(key + index * np.uint64(0x9e3779b97f4a7c15)) >> np.uint64(11)
    return (bits.astype(np.float64) * 2.0 ** -53).reshape(rows, cols)


def check_saved(path, seed, rows, cols, layout):
    a = np.load(path)
    if a.shape != (rows, cols) or a.dtype != np.float64:
        print(f'{path}: shape {a.shape} dtype {a.dtype}', file=sys.stderr)
        return 1
    # A single row or column is both C- and Fortran-contiguous.
    if rows > 1 and cols > 1 and a.flags.f_contiguous != (layout == 'f'):
        print(f'{path}: wrong order for layout {layout}', file=sys.stderr)
        return 1
    want = splitmix_matrix(seed, rows, cols)
    if not np.array_equal(a, want):
        bad = np.argwhere(a != want)[0]
        print(f'{path}: element {tuple(bad)} is {a[tuple(bad)]!r}, want {want[tuple(bad)]!r}',
              file=sys.stderr)
        return 1
    buf = io.BytesIO()
    np.save(buf, a)
    if buf.getvalue() != open(path, 'rb').read():
        print(f'{path}: bytes differ from what np.save writes for the same array',
              file=sys.stderr)
        return 1
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == 'write':
        return write(argv[2])
    if len(argv) == 3 and argv[1] == 'spellings':
        return spellings(argv[2])
    if len(argv) == 4 and argv[1] == 'check-sums':
        return check_sums(argv[2], argv[3])
    if len(argv) == 7 and argv[1] == 'check-saved':
        return check_saved(argv[2], int(argv[3]), int(argv[4]), int(argv[5]), argv[6])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
