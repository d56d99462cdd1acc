# Writes the reference .npy files used by org.hebbcnn.util.NpyTest (run: python3 gen_npy.py).
import numpy as np

f4 = np.array([0x3F800000, 0x80000000, 0x7FC00001, 0xFFA00000, 0x00000001, 0xFF800000],
              dtype='<u4').view('<f4').reshape(2, 3)        # 1.0, -0.0, NaN payloads, subnormal, -inf
np.save('f4_2x3.npy', f4)
f8 = np.array([0x3FF0000000000000, 0x8000000000000000, 0x7FF8000000000123, 0x0000000000000001,
               0xC00921FB54442D18], dtype='<u8').view('<f8')  # 1.0, -0.0, NaN payload, subnormal, -pi
np.save('f8_5.npy', f8)
np.save('i4_scalar.npy', np.array(-123456789, dtype='<i4'))
np.save('i8_2x2.npy', np.array([[-2**63, 2**63 - 1], [-1, 1]], dtype='<i8'))
np.save('u1_2x3x4.npy', (np.arange(24, dtype=np.int64) * 11 % 256).astype('u1').reshape(2, 3, 4))
np.save('f4_0x3.npy', np.zeros((0, 3), dtype='<f4'))
np.save('f4_1x1x1x1x1.npy', np.array(2.5, dtype='<f4').reshape(1, 1, 1, 1, 1))
# read-only cases: format 2.0, big-endian, Fortran order, an unsupported dtype
with open('f4_2x3_v2.npy', 'wb') as f:
    np.lib.format.write_array(f, f4, version=(2, 0))
np.save('be_f4_2x3.npy', f4.astype('>f4'))
np.save('fortran_f4_2x3.npy', np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)))
np.save('f2_3.npy', np.arange(3, dtype='<f2'))
# header edge cases: 30 dimensions (192-byte header); a zero-size shape whose header is already
# 64-aligned before padding, so NumPy pads with a full 64 spaces
np.save('f4_ndim30.npy', np.full((1,) * 30, 0.5, dtype='<f4'))
np.save('f4_pad64.npy', np.zeros((0, 100, 1000, 1000, 1000, 1000, 1, 1, 1, 1), dtype='<f4'))
