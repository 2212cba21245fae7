#!/usr/bin/env python3
"""Write the corpus of malformed .npy files and its table of expected messages.

Each file is small and broken in one way; tests/npy/expected.tsv maps its
name to the message colbench must give ("colbench: FILE: " + message, as
an extended regex). The same files seed the fuzz target. Run it to
regenerate both after changing a case; the files are committed.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'corpus')


def prefix_v1(header):
    """Magic, version 1.0 and the header's length, then the header."""
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header


def padded(dict_text):
    """A header numpy-style: padded with spaces to 64 bytes, newline last."""
    h = dict_text.encode()
    pad = 64 - (10 + len(h) + 1) % 64
    return h + b' ' * pad + b'\n'


def good(descr="'<f8'", order='False', shape='(2, 3)'):
    return padded("{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (descr, order, shape))


DATA6 = struct.pack('<6d', *range(6))

# name: (bytes, expected message regex)
CASES = {
    'empty.npy': (b'', r'not a \.npy file \(no \\x93NUMPY magic string\)'),
    'wrong-magic.npy': (b'\x93NUMPX\x01\x00' + good()[2:] + DATA6,
                        r'not a \.npy file \(no \\x93NUMPY magic string\)'),
    'text.npy': (b'hello, this is not numpy\n',
                 r'not a \.npy file \(no \\x93NUMPY magic string\)'),
    'version-4.npy': (b'\x93NUMPY\x04\x00' + struct.pack('<H', 118) + good() + DATA6,
                      r'unknown \.npy format version 4\.0 \(known: 1\.0, 2\.0, 3\.0\)'),
    'version-1.1.npy': (b'\x93NUMPY\x01\x01' + struct.pack('<H', 118) + good() + DATA6,
                        r'unknown \.npy format version 1\.1 \(known: 1\.0, 2\.0, 3\.0\)'),
    'cut-in-prefix.npy': (b'\x93NUMPY\x02\x00\x10', r'truncated: the file ends inside the header'),
    'cut-in-header.npy': (prefix_v1(good())[:40], r'truncated: the file ends inside the header'),
    'header-too-long.npy': (b'\x93NUMPY\x02\x00' + struct.pack('<I', 20000) + b' ' * 100,
                            r'header is too long \(20000 bytes; at most 10000\)'),
    'not-a-dict.npy': (prefix_v1(padded("['descr', '<f8']")) + DATA6,
                       r"header is not a valid dict literal: expected '\{' at the start"),
    'unclosed-dict.npy': (prefix_v1(padded("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)")) + DATA6,
                          r"header is not a valid dict literal: expected '\}' after a value"),
    'python-expr.npy': (prefix_v1(padded("{'descr': '<f8', 'fortran_order': __import__('os'), 'shape': (2, 3), }")) + DATA6,
                        r"header's fortran_order is neither True nor False"),
    'unterminated-string.npy': (prefix_v1(padded("{'descr: '<f8', }")) + DATA6,
                                r"header is not a valid dict literal: expected ':' after a key"),
    'missing-shape.npy': (prefix_v1(padded("{'descr': '<f8', 'fortran_order': False, }")) + DATA6,
                          r"header lacks the key 'shape'"),
    'extra-key.npy': (prefix_v1(padded("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'x': 1, }")) + DATA6,
                      r"header has an unknown key 'x'"),
    'repeated-key.npy': (prefix_v1(padded("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }")) + DATA6,
                         r"header has a repeated key 'descr'"),
    'nul-in-header.npy': (prefix_v1(padded("{'descr': '<f8',\0 'fortran_order': False, 'shape': (2, 3), }")) + DATA6,
                          r'header is not a valid dict literal: it holds a NUL byte'),
    'dtype-int64.npy': (prefix_v1(good(descr="'<i8'")) + DATA6,
                        r"dtype '<i8' is not float64 or float32 \(<f8, >f8, <f4, >f4\)"),
    'dtype-int32.npy': (prefix_v1(good(descr="'<i4'")) + DATA6[:24],
                        r"dtype '<i4' is not float64 or float32 \(<f8, >f8, <f4, >f4\)"),
    'dtype-complex.npy': (prefix_v1(good(descr="'<c16'")) + DATA6 * 2,
                          r"dtype '<c16' is not float64 or float32 \(<f8, >f8, <f4, >f4\)"),
    'dtype-object.npy': (prefix_v1(good(descr="'|O'")) + DATA6,
                         r"dtype '\|O' is not float64 or float32 \(<f8, >f8, <f4, >f4\)"),
    'dtype-float16.npy': (prefix_v1(good(descr="'<f2'")) + DATA6[:12],
                          r"dtype '<f2' is not float64 or float32 \(<f8, >f8, <f4, >f4\)"),
    'dtype-structured.npy': (prefix_v1(good(descr="[('a', '<f8'), ('b', '<f8')]")) + DATA6 * 2,
                             r'dtype is structured, not float64 or float32'),
    'shape-1d.npy': (prefix_v1(good(shape='(6,)')) + DATA6, r'shape has 1 dimension, not 2'),
    'shape-3d.npy': (prefix_v1(good(shape='(1, 2, 3)')) + DATA6, r'shape has 3 dimensions, not 2'),
    'shape-0d.npy': (prefix_v1(good(shape='()')) + DATA6[:8], r'shape has 0 dimensions, not 2'),
    'shape-zero.npy': (prefix_v1(good(shape='(0, 3)')), r'shape has a zero: the matrix is empty'),
    'shape-int.npy': (prefix_v1(good(shape='(6)')) + DATA6,
                      r"header's shape is not a tuple of non-negative integers"),
    'shape-negative.npy': (prefix_v1(good(shape='(-2, 3)')) + DATA6,
                           r"header's shape is not a tuple of non-negative integers"),
    'shape-huge.npy': (prefix_v1(good(shape='(99999999999999999999999, 3)')) + DATA6,
                       r"header's shape has a dimension too large"),
    'shape-overflow.npy': (prefix_v1(good(shape='(4294967296, 4294967296)')) + DATA6,
                           r'shape \(4294967296, 4294967296\) is too large: its size overflows'),
    'truncated-data.npy': (prefix_v1(good()) + DATA6[:40],
                           r'truncated: 40 bytes of data, but shape \(2, 3\) of <f8 needs 48'),
    'trailing-bytes.npy': (prefix_v1(good()) + DATA6 + b'\0' * 8,
                           r'trailing bytes: 56 bytes of data, but shape \(2, 3\) of <f8 needs 48'),
    'fortran-yes.npy': (prefix_v1(good(order='yes')) + DATA6,
                        r"header's fortran_order is neither True nor False"),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))
    with open(os.path.join(HERE, 'expected.tsv'), 'w') as table:
        table.write('# file\tmessage (extended regex) after "colbench: FILE: "\n')
        for name, (data, message) in sorted(CASES.items()):
            with open(os.path.join(OUT, name), 'wb') as f:
                f.write(data)
            table.write(f'{name}\t{message}\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
